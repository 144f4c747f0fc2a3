package io.kelvin.inference;

import java.util.Locale;

/** Where ONNX Runtime actually runs models: what {@code kelvin.inference.device} resolved to. */
public enum InferenceDevice {
    CPU,
    CUDA;

    /** Lower-case name, as metric tags and log lines carry it. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
