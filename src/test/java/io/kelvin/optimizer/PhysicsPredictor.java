package io.kelvin.optimizer;

import java.util.List;
import java.util.Optional;

/**
 * A transparent Java model for optimizer tests: a steady-state degree model calibrated on the
 * window just closed. The building's effective conductance is the observed energy per kelvin of
 * indoor-outdoor difference; energy at a candidate setpoint scales with the candidate-outdoor
 * difference (heating below, cooling above). Indoor temperature approaches the setpoint with a
 * first-order time constant of {@value #TIME_CONSTANT_HOURS} h. Physically monotone, and simple
 * enough that a test can say which candidate must win.
 */
public final class PhysicsPredictor implements Predictor, PredictionModel {
    public static final String VERSION = "physics-1";
    static final double TIME_CONSTANT_HOURS = 0.5;
    private static final List<String> FEATURES =
            List.of("indoor_mean_c", "outdoor_mean_c", "hvac_energy_kwh", "candidate_setpoint_c", "window_hours");

    @Override
    public Optional<PredictionModel> modelFor(String buildingId) {
        return Optional.of(this);
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public List<String> featureNames() {
        return FEATURES;
    }

    @Override
    public void predict(float[] f, int rows, float[] out) {
        int n = FEATURES.size();
        for (int i = 0; i < rows; i++) {
            double indoor = f[i * n];
            double outdoor = f[i * n + 1];
            double energy = f[i * n + 2];
            double candidate = f[i * n + 3];
            double hours = f[i * n + 4];
            double kwhPerK = energy / Math.max(Math.abs(indoor - outdoor), 1.0);
            out[2 * i] = (float) (kwhPerK * Math.abs(candidate - outdoor));
            out[2 * i + 1] = (float) (indoor + (candidate - indoor) * (1 - Math.exp(-hours / TIME_CONSTANT_HOURS)));
        }
    }
}
