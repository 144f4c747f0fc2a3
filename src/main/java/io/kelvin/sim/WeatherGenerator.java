package io.kelvin.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic, seeded weather for one {@link Climate}: the same seed, climate, start and step give
 * the same series, bit for bit.
 *
 * <p>Outdoor temperature = seasonal mean (cosine through the climate normals) + a daily cycle
 * (cosine peaking at 15:00 solar time; its range that of the normals, narrower under cloud) +
 * passing fronts + a red-noise residual. Fronts arrive as a Poisson process, on average one every
 * {@value #MEAN_DAYS_BETWEEN_FRONTS} days (the synoptic time scale of mid-latitude weather
 * systems, 2–7 days; e.g. Wallace and Hobbs, Atmospheric Science, 2nd ed., 2006, ch. 8); each
 * shifts the temperature by a normally distributed step (standard deviation
 * {@value #FRONT_STEP_SD_K} K) that sets in over about six hours and relaxes over one to three
 * days, and brings a day of thick cloud. Cloud cover = the climate's mean + red noise + fronts,
 * within [0, 1]. Irradiance = Haurwitz clear sky × Kasten–Czeplak cloud transmission
 * ({@link SolarGeometry}).
 */
public final class WeatherGenerator {
    static final double MEAN_DAYS_BETWEEN_FRONTS = 4.0;
    static final double FRONT_STEP_SD_K = 3.5;
    private static final double RESIDUAL_SD_K = 1.2;
    private static final double RESIDUAL_TAU_HOURS = 8;
    private static final double CLOUD_SD = 0.2;
    private static final double CLOUD_TAU_HOURS = 10;
    /** Fronts that passed before the start still shape its first days. */
    private static final double HISTORY_DAYS = 10;

    private final Climate climate;
    private final long seed;

    public WeatherGenerator(Climate climate, long seed) {
        this.climate = climate;
        this.seed = seed;
    }

    private record Front(double hours, double stepK, double relaxHours) {}

    /** The weather at {@code steps} points from {@code start}, {@code step} apart. */
    public WeatherSeries series(Instant start, Duration step, int steps) {
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (climate.ordinal() + 1)));
        double stepHours = step.toNanos() / 3.6e12;
        double totalHours = steps * stepHours;
        List<Front> fronts = new ArrayList<>();
        double t = -HISTORY_DAYS * 24;
        while (true) {
            t += -Math.log(1 - random.nextDouble()) * MEAN_DAYS_BETWEEN_FRONTS * 24;
            if (t > totalHours) {
                break;
            }
            fronts.add(new Front(t, random.nextGaussian() * FRONT_STEP_SD_K, 24 + random.nextDouble() * 48));
        }
        double[] outdoor = new double[steps];
        double[] ghi = new double[steps];
        double[] cloud = new double[steps];
        double residual = random.nextGaussian() * RESIDUAL_SD_K;
        double cloudNoise = random.nextGaussian() * CLOUD_SD;
        double phiT = Math.exp(-stepHours / RESIDUAL_TAU_HOURS);
        double phiC = Math.exp(-stepHours / CLOUD_TAU_HOURS);
        double meanRangeFactor = 1.3 - 0.6 * climate.meanCloudCover();
        for (int k = 0; k < steps; k++) {
            Instant at = start.plus(step.multipliedBy(k));
            double hours = k * stepHours;
            double doy = dayOfYear(at);
            double frontK = 0;
            double frontCloud = 0;
            for (Front f : fronts) {
                double dt = hours - f.hours;
                if (dt < -24 || dt > 10 * f.relaxHours) {
                    continue;
                }
                double onset = 1 / (1 + Math.exp(-dt / 1.5));
                frontK += f.stepK * onset * Math.exp(-Math.max(0, dt) / f.relaxHours);
                frontCloud += 0.35 * Math.exp(-(dt / 12) * (dt / 12));
            }
            double c = clamp01(climate.meanCloudCover() + cloudNoise + frontCloud);
            double range = climate.diurnalRangeK(doy) * (1.3 - 0.6 * c) / meanRangeFactor;
            double solarHour = SolarGeometry.solarHour(climate.longitudeDeg(), at);
            double daily = range / 2 * Math.cos(2 * Math.PI * (solarHour - 15) / 24);
            outdoor[k] = climate.seasonalMeanC(doy) + daily + frontK + residual;
            cloud[k] = c;
            double cosZ = SolarGeometry.cosZenith(climate.latitudeDeg(), climate.longitudeDeg(), at);
            ghi[k] = SolarGeometry.clearSkyGlobalHorizontal(cosZ) * SolarGeometry.cloudTransmission(c);

            residual = phiT * residual + Math.sqrt(1 - phiT * phiT) * RESIDUAL_SD_K * random.nextGaussian();
            cloudNoise = phiC * cloudNoise + Math.sqrt(1 - phiC * phiC) * CLOUD_SD * random.nextGaussian();
        }
        return new WeatherSeries(climate, start, step, outdoor, ghi, cloud);
    }

    private static double dayOfYear(Instant at) {
        var utc = at.atZone(ZoneOffset.UTC);
        return utc.getDayOfYear() - 1 + (utc.getHour() + utc.getMinute() / 60.0) / 24.0;
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
