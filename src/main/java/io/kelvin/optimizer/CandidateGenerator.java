package io.kelvin.optimizer;

import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Metric;

/**
 * The setpoints a model ranks: evenly spaced inside the safety rules' allowed range, always
 * including the range's ends and the anchor itself when allowed.
 *
 * <p>They are further narrowed to what keeps comfort reachable: while comfort is required (the
 * next window is occupied or within the pre-heat lead before occupancy), the setpoints whose BMS
 * dead band lies inside the comfort band ({@link #setpointBand}); before that, no further from that
 * range than the change limit can recover in the windows left until the pre-heat lead begins (so
 * the room has that lead to warm up or cool down before people arrive).
 * When nothing allowed lies in that softer range, the single allowed setpoint nearest to it is
 * the only candidate.
 *
 * <p>The pre-heat lead is a linear optimum start, as BMSs start their plant: a fixed lead plus a
 * lead per kelvin the zone (the window's mean zone temperature) lies outside the comfort band, so
 * a building that cooled down further overnight starts warming earlier.
 */
public final class CandidateGenerator {
    private final SafetyRules safety;
    private final double stepK;
    private final long preheatMs;
    private final long preheatPerKMs;

    /**
     * @param preheatMs     comfort is required from this long before each occupied period ...
     * @param preheatPerKMs ... plus this long for each kelvin the zone lies outside the comfort band
     */
    public CandidateGenerator(SafetyRules safety, double stepK, long preheatMs, long preheatPerKMs) {
        this.safety = safety;
        this.stepK = stepK;
        this.preheatMs = preheatMs;
        this.preheatPerKMs = preheatPerKMs;
    }

    /** Whether the next window needs comfort: occupied, or within the pre-heat lead before occupancy. */
    public boolean comfortRequired(DecisionContext ctx) {
        long end = ctx.window().endMs();
        long windowMs = end - ctx.window().startMs();
        return ctx.occupiedNext() || ctx.schedule().occupiedDuring(end, end + windowMs + preheatLeadMs(ctx));
    }

    /**
     * How long before occupancy comfort is required for this decision: the fixed lead, plus the
     * lead per kelvin times how far the window's mean zone temperature lies outside the comfort
     * band (the fixed lead alone when the window saw no zone temperature).
     */
    public long preheatLeadMs(DecisionContext ctx) {
        double zone = ctx.window().mean(Metric.ZONE_TEMPERATURE_C);
        if (!Double.isFinite(zone)) {
            return preheatMs;
        }
        BuildingProfile p = ctx.profile();
        double outside = Math.max(0, Math.max(p.getComfortMinC() - zone, zone - p.getComfortMaxC()));
        return preheatMs + Math.round(outside * preheatPerKMs);
    }

    public double[] candidates(DecisionContext ctx) {
        return candidates(ctx, comfortRequired(ctx));
    }

    /** {@link #candidates(DecisionContext)} when {@link #comfortRequired} is already known. */
    public double[] candidates(DecisionContext ctx, boolean comfortRequired) {
        BuildingProfile p = ctx.profile();
        double[] allowed = safety.allowedRange(p, ctx.anchorSetpointC());
        double[] comfort = comfortReachable(ctx, comfortRequired);
        double low = Math.max(allowed[0], comfort[0]);
        double high = Math.min(allowed[1], comfort[1]);
        if (low > high) {
            // Disjoint: the comfort range lies wholly above or wholly below what is allowed.
            return new double[] {comfort[0] > allowed[1] ? allowed[1] : allowed[0]};
        }
        int steps = (int) Math.floor((high - low) / stepK + 1e-9);
        boolean endOnGrid = Math.abs(low + steps * stepK - high) < 1e-9;
        double[] out = new double[steps + 1 + (endOnGrid ? 0 : 1)];
        for (int i = 0; i <= steps; i++) {
            out[i] = low + i * stepK;
        }
        if (!endOnGrid) {
            out[out.length - 1] = high;
        }
        return out;
    }

    /**
     * The setpoints that keep the room in the comfort band when the BMS has the capacity: the band
     * narrowed at both edges by half the BMS's dead band (it heats only below setpoint − half and
     * cools only above setpoint + half), or the band's midpoint when the dead band is wider than
     * the band.
     */
    public static double[] setpointBand(BuildingProfile p) {
        double half = p.getBmsDeadbandHalfWidthK();
        double low = p.getComfortMinC() + half;
        double high = p.getComfortMaxC() - half;
        if (low > high) {
            double middle = (p.getComfortMinC() + p.getComfortMaxC()) / 2;
            return new double[] {middle, middle};
        }
        return new double[] {low, high};
    }

    private double[] comfortReachable(DecisionContext ctx, boolean comfortRequired) {
        BuildingProfile p = ctx.profile();
        double[] band = setpointBand(p);
        if (comfortRequired) {
            return band;
        }
        long windowMs = ctx.window().endMs() - ctx.window().startMs();
        long untilOccupied = ctx.schedule().millisUntilOccupied(ctx.window().endMs());
        if (untilOccupied == Long.MAX_VALUE) {
            return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        }
        // Windows left before the pre-heat lead in which the setpoint can still move towards the band.
        long stepsLeft = Math.max(0, (untilOccupied - preheatLeadMs(ctx)) / windowMs - 1);
        double slack = safety.maxChangeK(p) * stepsLeft;
        return new double[] {band[0] - slack, band[1] + slack};
    }
}
