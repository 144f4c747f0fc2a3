package io.kelvin.optimizer;

import java.util.List;

/**
 * A model that predicts, for rows of features, the HVAC energy (kWh) and the mean indoor
 * temperature (degrees Celsius) of the next window. Implementations are thread-safe.
 */
public interface PredictionModel {

    /** Version reported in every SetpointCommand it ranked. */
    String version();

    /** Names of the input features, in row order (see {@link FeatureBuilder#KNOWN_FEATURES}). */
    List<String> featureNames();

    /**
     * Predicts {@code rows} rows of {@code features} (row-major, {@code featureNames().size()}
     * columns) into {@code out}: {@code out[2i]} energy kWh, {@code out[2i+1]} indoor degrees C.
     */
    void predict(float[] features, int rows, float[] out);
}
