package io.kelvin.optimizer;

import java.util.Optional;

/** Finds the model to ask for a building; empty means no usable model (the optimizer falls back). */
@FunctionalInterface
public interface Predictor {
    Optional<PredictionModel> modelFor(String buildingId);
}
