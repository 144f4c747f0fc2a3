package io.kelvin.inference;

/**
 * A prediction asked of a model after it was closed (replaced by a newer release, or the engine
 * shut down). Nothing native was touched; the caller looks the model up again or falls back.
 */
public final class ModelClosedException extends InferenceException {
    public ModelClosedException(String modelKey, String version) {
        super("Model " + version + " (key " + modelKey + ") is closed");
    }
}
