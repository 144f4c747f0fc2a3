package io.kelvin.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * Weather of one climate on the simulation's time grid: outdoor air temperature, global
 * horizontal irradiance and cloud cover per step. Immutable; shared by every building of the
 * climate and by both twins of a building, so Kelvin and the baseline see the same weather.
 */
public final class WeatherSeries {
    private final Climate climate;
    private final Instant start;
    private final Duration step;
    private final double[] outdoorC;
    private final double[] globalHorizontalWm2;
    private final double[] cloudCover;

    WeatherSeries(Climate climate, Instant start, Duration step, double[] outdoorC, double[] globalHorizontalWm2, double[] cloudCover) {
        this.climate = climate;
        this.start = start;
        this.step = step;
        this.outdoorC = outdoorC;
        this.globalHorizontalWm2 = globalHorizontalWm2;
        this.cloudCover = cloudCover;
    }

    public Climate climate() {
        return climate;
    }

    public Instant start() {
        return start;
    }

    public Duration step() {
        return step;
    }

    public int steps() {
        return outdoorC.length;
    }

    public double outdoorC(int step) {
        return outdoorC[step];
    }

    public double globalHorizontalWm2(int step) {
        return globalHorizontalWm2[step];
    }

    public double cloudCover(int step) {
        return cloudCover[step];
    }
}
