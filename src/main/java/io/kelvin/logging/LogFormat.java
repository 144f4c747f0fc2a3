package io.kelvin.logging;

import java.util.Locale;
import java.util.Map;

/**
 * The log formats Kelvin writes, picked by the environment variable {@value #ENV}: {@code text}
 * (the default, for people) or {@code json} (one JSON object per line, for log shippers). The
 * level is {@value #LEVEL_ENV} (Kelvin's loggers) and {@code KELVIN_KAFKA_LOG_LEVEL} (Kafka's).
 */
public enum LogFormat {
    TEXT, JSON;

    public static final String ENV = "KELVIN_LOG_FORMAT";
    public static final String LEVEL_ENV = "KELVIN_LOG_LEVEL";

    /** The format {@code env} selects; text when unset. */
    public static LogFormat fromEnvironment(Map<String, String> env) {
        return parse(env.get(ENV));
    }

    /**
     * @throws IllegalArgumentException naming the variable and the accepted values
     */
    public static LogFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return TEXT;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV + " must be text or json, was '" + value + "'");
        }
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
