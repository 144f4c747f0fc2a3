package io.kelvin.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * Accumulates {@link ControlKpis} of one building under one controller from a trace, one sample
 * per simulation step; each sample holds over its step. Samples before the evaluation start or
 * at or after its end are ignored. Not thread-safe.
 */
public final class KpiAccumulator {
    /** BOPTEST's peak demand averages power over 15 minutes. */
    public static final Duration PEAK_INTERVAL = Duration.ofMinutes(15);
    /**
     * Excursions outside the comfort band smaller than this (K) are not discomfort: the ideal zone
     * controller holds a room on the band's edge exactly, up to floating-point rounding (about
     * 1e-14 K), which would otherwise count.
     */
    static final double BAND_RESOLUTION_K = 1e-9;

    private final double floorAreaM2;
    private final long startMs;
    private final long endMs;
    private final long intervalMs;
    private final double[] intervalKwh;
    private final double[] intervalHours;
    private double energyKwh;
    private double discomfortKh;
    private double co2ExcessPpmH;
    private double hours;

    public KpiAccumulator(double floorAreaM2, Instant evaluationStart, Instant evaluationEnd) {
        if (!evaluationEnd.isAfter(evaluationStart)) {
            throw new IllegalArgumentException("the evaluated period " + evaluationStart + " .. " + evaluationEnd + " is empty");
        }
        this.floorAreaM2 = floorAreaM2;
        this.startMs = evaluationStart.toEpochMilli();
        this.endMs = evaluationEnd.toEpochMilli();
        this.intervalMs = PEAK_INTERVAL.toMillis();
        int intervals = (int) ((endMs - startMs + intervalMs - 1) / intervalMs);
        this.intervalKwh = new double[intervals];
        this.intervalHours = new double[intervals];
    }

    /**
     * Adds the step that starts {@code at} and lasts {@code stepHours}.
     *
     * @param electricKw HVAC electric power over the step
     * @param airC       indoor air temperature
     * @param co2Ppm     indoor CO₂
     * @param occupied   scheduled occupied (discomfort counts only then)
     */
    public void add(Instant at, double stepHours, double electricKw, double airC, double co2Ppm, boolean occupied, double comfortMinC,
                    double comfortMaxC, double co2LimitPpm) {
        long t = at.toEpochMilli();
        if (t < startMs || t >= endMs) {
            return;
        }
        double kwh = electricKw * stepHours;
        energyKwh += kwh;
        hours += stepHours;
        int interval = (int) ((t - startMs) / intervalMs);
        intervalKwh[interval] += kwh;
        intervalHours[interval] += stepHours;
        if (occupied) {
            double outside = Math.max(comfortMinC - airC, airC - comfortMaxC);
            if (outside < BAND_RESOLUTION_K) {
                outside = 0;
            }
            discomfortKh += outside * stepHours;
            co2ExcessPpmH += Math.max(0, co2Ppm - co2LimitPpm) * stepHours;
        }
    }

    /** Energy per 15-minute interval from the evaluation start (kWh); for the fleet's coincident peak. */
    double[] intervalKwh() {
        return intervalKwh.clone();
    }

    double[] intervalHours() {
        return intervalHours.clone();
    }

    public ControlKpis kpis() {
        return new ControlKpis(energyKwh, floorAreaM2, discomfortKh, co2ExcessPpmH, peak(intervalKwh, intervalHours), hours);
    }

    /** The largest interval mean power, kW (an interval with no samples counts as none). */
    static double peak(double[] kwh, double[] hoursCovered) {
        double peak = 0;
        for (int i = 0; i < kwh.length; i++) {
            if (hoursCovered[i] > 0) {
                peak = Math.max(peak, kwh[i] / hoursCovered[i]);
            }
        }
        return peak;
    }

    /**
     * Fleet KPIs: energy, area and both discomforts summed over the buildings, peak the largest
     * 15-minute mean of the fleet's summed power (coincident peak, not the sum of the buildings' peaks).
     */
    public static ControlKpis fleet(Iterable<KpiAccumulator> buildings) {
        double energy = 0;
        double area = 0;
        double discomfort = 0;
        double co2Excess = 0;
        double hours = 0;
        double[] kwh = null;
        double[] covered = null;
        for (KpiAccumulator b : buildings) {
            energy += b.energyKwh;
            area += b.floorAreaM2;
            discomfort += b.discomfortKh;
            co2Excess += b.co2ExcessPpmH;
            hours = Math.max(hours, b.hours);
            if (kwh == null) {
                kwh = new double[b.intervalKwh.length];
                covered = new double[b.intervalKwh.length];
            }
            for (int i = 0; i < kwh.length; i++) {
                kwh[i] += b.intervalKwh[i];
                covered[i] = Math.max(covered[i], b.intervalHours[i]);
            }
        }
        return new ControlKpis(energy, area, discomfort, co2Excess, kwh == null ? 0 : peak(kwh, covered), hours);
    }
}
