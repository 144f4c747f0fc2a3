package io.kelvin.inference;

/**
 * A model Kelvin will not run, with a machine-readable {@link #reason()} (what a rejection
 * report, a log line and the {@code reason} metric tag carry) and a message for a person.
 * Checked: whoever loads a model must decide what keeps serving when it is rejected.
 */
public final class ModelRejectedException extends Exception {

    /** Why a model was rejected; {@link #code()} is the stable, machine-readable form. */
    public enum Reason {
        /** Larger than {@code kelvin.models.max.bytes}. */
        TOO_LARGE("too-large"),
        /** Not a model ONNX Runtime can load (corrupt bytes, unknown operator, invalid graph). */
        UNREADABLE("unreadable"),
        /** The input is not exactly one float32 {@code features [N, F]} with F = the feature count. */
        CONTRACT_INPUT("contract-input"),
        /** There is no float32 output {@code prediction [N, 2]}. */
        CONTRACT_OUTPUT("contract-output"),
        /** {@code kelvin.feature_names} or {@code kelvin.model_version} is absent or blank. */
        MISSING_METADATA("missing-metadata"),
        /** A feature name Kelvin cannot fill. */
        UNKNOWN_FEATURE("unknown-feature"),
        /** A feature name listed twice. */
        DUPLICATE_FEATURE("duplicate-feature"),
        /** ONNX Runtime failed on the probe rows. */
        PROBE_FAILED("probe-failed"),
        /** NaN or infinity predicted for a plausible probe row. */
        NON_FINITE_OUTPUT("non-finite-output"),
        /** A row's prediction changes with the other rows of its batch (for example a batch-wide reduction). */
        BATCH_DEPENDENT("batch-dependent"),
        /** A release's record key differs from its {@code modelKey}. */
        KEY_MISMATCH("key-mismatch"),
        /** A release has both inline bytes and a URI. */
        AMBIGUOUS_SOURCE("ambiguous-source"),
        /** A release has neither inline bytes nor a URI. */
        NO_MODEL_BYTES("no-model-bytes"),
        /** A release's URI could not be fetched. */
        FETCH_FAILED("fetch-failed"),
        /** The bytes do not hash to the release's declared SHA-256. */
        SHA256_MISMATCH("sha256-mismatch"),
        /** The release's version or feature names differ from the model's own metadata. */
        RELEASE_MISMATCH("release-mismatch");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public ModelRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ModelRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
