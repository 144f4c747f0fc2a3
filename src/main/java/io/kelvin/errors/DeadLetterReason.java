package io.kelvin.errors;

/**
 * Why a record went to the dead-letter topic. The {@link #code()} is what the
 * {@value DeadLetters#REASON_HEADER} header and the {@code reason} metric tag carry.
 */
public enum DeadLetterReason {
    DESERIALIZATION_FAILED("deserialization-failed"),
    NULL_KEY("null-key"),
    NULL_VALUE("null-value"),
    MISSING_BUILDING_ID("missing-building-id"),
    KEY_MISMATCH("key-mismatch"),
    UNKNOWN_METRIC("unknown-metric"),
    NON_FINITE_VALUE("non-finite-value"),
    OUT_OF_RANGE("out-of-range"),
    FUTURE_TIMESTAMP("future-timestamp"),
    LATE("late"),
    PROCESSING_ERROR("processing-error");

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
