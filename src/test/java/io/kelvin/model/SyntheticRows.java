package io.kelvin.model;

import io.kelvin.optimizer.FeatureBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Rows with every contract feature at a plausible value and targets from a known hinge physics,
 * for tests that must know the right answer:
 * <pre>
 *   energy = area * (4e-4 max(0, c - indoor_last) + 3e-5 max(0, c - outdoor) + 1e-5)   [kWh]
 *   indoor = indoor_last + 0.25 max(0, c - indoor_last) - 0.01 (indoor_last - outdoor)  [C]
 * </pre>
 * plus optional Gaussian noise.
 */
final class SyntheticRows {
    private SyntheticRows() {}

    static double trueEnergy(double area, double candidate, double indoorLast, double outdoor) {
        return area * (4e-4 * Math.max(0, candidate - indoorLast) + 3e-5 * Math.max(0, candidate - outdoor) + 1e-5);
    }

    static double trueIndoor(double candidate, double indoorLast, double outdoor) {
        return indoorLast + 0.25 * Math.max(0, candidate - indoorLast) - 0.01 * (indoorLast - outdoor);
    }

    static List<TrainingRow> rows(long seed, int n, double minArea, double maxArea, double noiseSd, long startMs) {
        Random random = new Random(seed);
        List<TrainingRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double area = minArea + random.nextDouble() * (maxArea - minArea);
            double outdoor = -10 + 25 * random.nextDouble();
            double indoorLast = 17 + 6 * random.nextDouble();
            double previous = 16 + 10 * random.nextDouble();
            double candidate = previous + (random.nextDouble() - 0.5);
            Map<String, Double> f = features(area, outdoor, indoorLast, previous, candidate, random);
            rows.add(new TrainingRow("b" + (i % 7), startMs + i * 600_000L, f,
                    Math.max(0, trueEnergy(area, candidate, indoorLast, outdoor) + noiseSd * area / 1_000 * random.nextGaussian()),
                    trueIndoor(candidate, indoorLast, outdoor) + noiseSd * random.nextGaussian()));
        }
        return rows;
    }

    static Map<String, Double> features(double area, double outdoor, double indoorLast, double previous, double candidate,
                                        Random random) {
        Map<String, Double> f = new HashMap<>();
        double hour = random.nextDouble() * 24;
        f.put("indoor_mean_c", indoorLast + 0.2 * random.nextGaussian());
        f.put("indoor_last_c", indoorLast);
        f.put("outdoor_mean_c", outdoor);
        f.put("hvac_energy_kwh", area * 3e-4 * random.nextDouble());
        f.put("hvac_power_mean_kw", area * 2e-3 * random.nextDouble());
        f.put("occupancy_mean", area / 15 * random.nextDouble());
        f.put("co2_mean_ppm", 400 + 600 * random.nextDouble());
        f.put("humidity_mean_pct", 30 + 30 * random.nextDouble());
        f.put("previous_setpoint_c", previous);
        f.put("candidate_setpoint_c", candidate);
        f.put("setpoint_delta_k", candidate - previous);
        f.put("occupied_next", random.nextBoolean() ? 1.0 : 0.0);
        f.put("hour_sin", Math.sin(2 * Math.PI * hour / 24));
        f.put("hour_cos", Math.cos(2 * Math.PI * hour / 24));
        f.put("dow_sin", 0.0);
        f.put("dow_cos", 1.0);
        f.put("floor_area_m2", area);
        f.put("window_hours", 1.0 / 6);
        if (!f.keySet().containsAll(FeatureBuilder.KNOWN_FEATURES)) {
            throw new IllegalStateException("Synthetic rows must carry every known feature");
        }
        return f;
    }
}
