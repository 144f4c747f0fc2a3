package io.kelvin.inference;

import java.util.List;

/**
 * What an ONNX model must look like for Kelvin to run it (models/README.md is the prose of this
 * class): one input {@value #INPUT} of float32 {@code [N, F]}, one output {@value #OUTPUT} of
 * float32 {@code [N, 2]} = (HVAC energy of the next window in kWh, mean indoor temperature of the
 * next window in degrees C), and the metadata below in the model's {@code metadata_props}.
 *
 * <p>{@value #META_FEATURE_NAMES} lists the F input columns in order, comma-separated, each a
 * name from {@link io.kelvin.optimizer.FeatureBuilder#KNOWN_FEATURES}; Kelvin fills rows in that
 * order, so any order or subset of known features works and an unknown name rejects the model.
 */
public final class ModelContract {
    /** Name of the input tensor: float32 [N, F]. */
    public static final String INPUT = "features";
    /** Name of the output tensor: float32 [N, 2]. */
    public static final String OUTPUT = "prediction";
    /** Columns of the output: energy kWh next window, indoor degrees C next window. */
    public static final int OUTPUT_WIDTH = 2;

    /** Required: the input columns, in order, comma-separated. */
    public static final String META_FEATURE_NAMES = "kelvin.feature_names";
    /** Required: the model's version (unique per model key); reported in every SetpointCommand it ranks. */
    public static final String META_VERSION = "kelvin.model_version";
    /** Optional: the building id, {@value #GLOBAL_KEY}, or {@value #BUNDLED_KEY}. */
    public static final String META_MODEL_KEY = "kelvin.model_key";
    /** Optional: who made it (kelvin-trainer, kelvin-bundle, external). */
    public static final String META_PRODUCER = "kelvin.producer";
    /** Optional: the learning method, for example ridge-thermal-hinge-v2. */
    public static final String META_METHOD = "kelvin.method";
    /** Optional: when it was trained, ISO-8601 UTC. */
    public static final String META_TRAINED_AT = "kelvin.trained_at";
    /** Optional: rows it was trained on. */
    public static final String META_TRAINING_ROWS = "kelvin.training_rows";
    /** Optional: mean absolute error of energy on held-out rows, kWh. */
    public static final String META_HOLDOUT_MAE_ENERGY_KWH = "kelvin.holdout_mae_energy_kwh";
    /** Optional: mean absolute error of indoor temperature on held-out rows, K. */
    public static final String META_HOLDOUT_MAE_INDOOR_C = "kelvin.holdout_mae_indoor_c";

    /** Model key of the pooled model that serves buildings without their own. */
    public static final String GLOBAL_KEY = "__global__";
    /** Model key of the cold-start model shipped in the jar (models/bundled.onnx). */
    public static final String BUNDLED_KEY = "__bundled__";

    /** Metadata keys a model must carry. */
    public static final List<String> REQUIRED_METADATA = List.of(META_FEATURE_NAMES, META_VERSION);

    private ModelContract() {}
}
