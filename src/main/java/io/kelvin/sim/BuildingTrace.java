package io.kelvin.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * One building's run, both twins, condensed to fixed slots (10 minutes by default) for the
 * report's charts: mean air temperature, CO₂, energy and mean setpoint per slot, plus the outdoor
 * temperature and the occupied share. Not thread-safe.
 */
public final class BuildingTrace {
    private final Instant start;
    private final long slotMs;
    private final int[] samples;
    private final double[] kelvinAir;
    private final double[] baselineAir;
    private final double[] kelvinCo2;
    private final double[] baselineCo2;
    private final double[] kelvinKwh;
    private final double[] baselineKwh;
    private final double[] kelvinSetpoint;
    private final double[] baselineSetpoint;
    private final double[] outdoor;
    private final double[] occupied;

    public BuildingTrace(Instant start, Duration slot, int slots) {
        this.start = start;
        this.slotMs = slot.toMillis();
        this.samples = new int[slots];
        this.kelvinAir = new double[slots];
        this.baselineAir = new double[slots];
        this.kelvinCo2 = new double[slots];
        this.baselineCo2 = new double[slots];
        this.kelvinKwh = new double[slots];
        this.baselineKwh = new double[slots];
        this.kelvinSetpoint = new double[slots];
        this.baselineSetpoint = new double[slots];
        this.outdoor = new double[slots];
        this.occupied = new double[slots];
    }

    /** Adds the step that starts {@code at}. */
    public void add(Instant at, double stepHours, PairedBuilding.Step step, double outdoorC) {
        int slot = (int) ((at.toEpochMilli() - start.toEpochMilli()) / slotMs);
        if (slot < 0 || slot >= samples.length) {
            return;
        }
        samples[slot]++;
        kelvinAir[slot] += step.kelvin().airC();
        baselineAir[slot] += step.baseline().airC();
        kelvinCo2[slot] += step.kelvinCo2Ppm();
        baselineCo2[slot] += step.baselineCo2Ppm();
        kelvinKwh[slot] += step.kelvin().electricKw() * stepHours;
        baselineKwh[slot] += step.baseline().electricKw() * stepHours;
        kelvinSetpoint[slot] += step.kelvinSetpoints().reportedC();
        baselineSetpoint[slot] += step.baselineSetpoints().reportedC();
        outdoor[slot] += outdoorC;
        occupied[slot] += step.occupied() ? 1 : 0;
    }

    public Instant start() {
        return start;
    }

    public Duration slot() {
        return Duration.ofMillis(slotMs);
    }

    public int slots() {
        return samples.length;
    }

    /** Slots that received samples (a run stopped early leaves the rest empty). */
    public int filledSlots() {
        int n = 0;
        while (n < samples.length && samples[n] > 0) {
            n++;
        }
        return n;
    }

    public double kelvinAirC(int slot) {
        return mean(kelvinAir, slot);
    }

    public double baselineAirC(int slot) {
        return mean(baselineAir, slot);
    }

    public double kelvinCo2Ppm(int slot) {
        return mean(kelvinCo2, slot);
    }

    public double baselineCo2Ppm(int slot) {
        return mean(baselineCo2, slot);
    }

    public double kelvinKwh(int slot) {
        return kelvinKwh[slot];
    }

    public double baselineKwh(int slot) {
        return baselineKwh[slot];
    }

    public double kelvinSetpointC(int slot) {
        return mean(kelvinSetpoint, slot);
    }

    public double baselineSetpointC(int slot) {
        return mean(baselineSetpoint, slot);
    }

    public double outdoorC(int slot) {
        return mean(outdoor, slot);
    }

    /** Share of the slot that was scheduled occupied. */
    public double occupiedShare(int slot) {
        return mean(occupied, slot);
    }

    private double mean(double[] sums, int slot) {
        return samples[slot] == 0 ? Double.NaN : sums[slot] / samples[slot];
    }
}
