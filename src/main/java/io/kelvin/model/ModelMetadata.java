package io.kelvin.model;

import io.kelvin.inference.ModelContract;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an exported model says about itself beyond its graph (the contract's {@code
 * metadata_props}); the feature names and the method come from the model itself.
 *
 * @param modelKey             building id, {@value ModelContract#GLOBAL_KEY} or {@value ModelContract#BUNDLED_KEY}
 * @param version              unique per model key
 * @param producer             kelvin-trainer, kelvin-bundle, ...
 * @param trainedAt            when it was trained: a record timestamp, never the wall clock, so a
 *                             rebuild from the same data gives the same bytes
 * @param trainingRows         rows the model was fitted to
 * @param holdoutMaeEnergyKwh  energy MAE on held-out rows, kWh
 * @param holdoutMaeIndoorC    indoor MAE on held-out rows, K
 */
public record ModelMetadata(String modelKey, String version, String producer, Instant trainedAt, int trainingRows,
                            double holdoutMaeEnergyKwh, double holdoutMaeIndoorC) {

    public ModelMetadata {
        Objects.requireNonNull(modelKey, "modelKey");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(trainedAt, "trainedAt");
        if (version.isBlank() || version.contains(",")) {
            throw new IllegalArgumentException("A model version must be non-blank and free of commas: '" + version + "'");
        }
    }

    /** The contract's metadata_props for {@code model}, in a fixed order (stable bytes). */
    Map<String, String> properties(ThermalModel model) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(ModelContract.META_FEATURE_NAMES, String.join(",", model.inputs()));
        props.put(ModelContract.META_VERSION, version);
        props.put(ModelContract.META_MODEL_KEY, modelKey);
        props.put(ModelContract.META_PRODUCER, producer);
        props.put(ModelContract.META_METHOD, model.design().method());
        props.put(ModelContract.META_TRAINED_AT, trainedAt.toString());
        props.put(ModelContract.META_TRAINING_ROWS, Integer.toString(trainingRows));
        props.put(ModelContract.META_HOLDOUT_MAE_ENERGY_KWH, Double.toString(holdoutMaeEnergyKwh));
        props.put(ModelContract.META_HOLDOUT_MAE_INDOOR_C, Double.toString(holdoutMaeIndoorC));
        return props;
    }
}
