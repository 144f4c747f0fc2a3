package io.kelvin.inference;

import java.util.Locale;

/**
 * What {@code kelvin.inference.device} asks for: {@code auto} (CUDA when it works, else CPU),
 * {@code cpu}, or {@code cuda} (fails at start when CUDA cannot be used).
 */
public enum RequestedDevice {
    AUTO,
    CPU,
    CUDA;

    /** Parses {@code auto}, {@code cpu} or {@code cuda}, in any case. */
    public static RequestedDevice parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown inference device '" + value + "'; expected auto, cpu or cuda");
        }
    }

    /** Lower-case name, as the setting and the metric tag spell it. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
