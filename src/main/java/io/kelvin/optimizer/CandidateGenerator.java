package io.kelvin.optimizer;

import io.kelvin.schema.BuildingProfile;

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
 */
public final class CandidateGenerator {
    private final SafetyRules safety;
    private final double stepK;
    private final long preheatMs;

    /**
     * @param preheatMs comfort is required from this long before each occupied period
     */
    public CandidateGenerator(SafetyRules safety, double stepK, long preheatMs) {
        this.safety = safety;
        this.stepK = stepK;
        this.preheatMs = preheatMs;
    }

    /** Whether the next window needs comfort: occupied, or within the pre-heat lead before occupancy. */
    public boolean comfortRequired(DecisionContext ctx) {
        long end = ctx.window().endMs();
        long windowMs = end - ctx.window().startMs();
        return ctx.occupiedNext() || ctx.schedule().occupiedDuring(end, end + windowMs + preheatMs);
    }

    public double[] candidates(DecisionContext ctx) {
        BuildingProfile p = ctx.profile();
        double[] allowed = safety.allowedRange(p, ctx.anchorSetpointC());
        double[] comfort = comfortReachable(ctx);
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

    private double[] comfortReachable(DecisionContext ctx) {
        BuildingProfile p = ctx.profile();
        double[] band = setpointBand(p);
        if (comfortRequired(ctx)) {
            return band;
        }
        long windowMs = ctx.window().endMs() - ctx.window().startMs();
        long untilOccupied = ctx.schedule().millisUntilOccupied(ctx.window().endMs());
        if (untilOccupied == Long.MAX_VALUE) {
            return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        }
        // Windows left before the pre-heat lead in which the setpoint can still move towards the band.
        long stepsLeft = Math.max(0, (untilOccupied - preheatMs) / windowMs - 1);
        double slack = safety.maxChangeK(p) * stepsLeft;
        return new double[] {band[0] - slack, band[1] + slack};
    }
}
