package io.kelvin.model;

import io.kelvin.schema.Feedback;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One example to learn from, equal in meaning to a {@link Feedback} record: the features a
 * decision was made with (by contract name, see {@link io.kelvin.optimizer.FeatureBuilder}) and
 * what was observed in the window the decision applied to.
 *
 * @param buildingId  the building the row comes from
 * @param decidedAtMs end of the window the decision was made from; time splits order by it
 * @param features    feature values by name; a name the model needs must be present and finite
 * @param energyKwh   observed HVAC energy of the next window, kWh
 * @param indoorC     observed mean indoor temperature of the next window, degrees C
 */
public record TrainingRow(String buildingId, long decidedAtMs, Map<String, Double> features,
                          double energyKwh, double indoorC) {

    public TrainingRow {
        Objects.requireNonNull(buildingId, "buildingId");
        features = Map.copyOf(features);
        if (!Double.isFinite(energyKwh) || !Double.isFinite(indoorC)) {
            throw new IllegalArgumentException("Targets must be finite: energy " + energyKwh + ", indoor " + indoorC);
        }
    }

    /**
     * The training row a feedback record carries, or empty when the outcome lacks an indoor
     * temperature (the window had no zone readings) and so cannot teach the indoor target.
     */
    public static Optional<TrainingRow> fromFeedback(Feedback feedback) {
        Double indoor = feedback.getObservedIndoorC();
        if (indoor == null || !Double.isFinite(indoor) || !Double.isFinite(feedback.getObservedEnergyKwh())) {
            return Optional.empty();
        }
        return Optional.of(new TrainingRow(feedback.getBuildingId(), feedback.getDecidedAt().toEpochMilli(),
                feedback.getFeatures(), feedback.getObservedEnergyKwh(), indoor));
    }

    /** The named feature; NaN when absent, so that a missing input is never silently zero. */
    public double feature(String name) {
        Double v = features.get(name);
        return v == null ? Double.NaN : v;
    }
}
