package io.kelvin.errors;

/**
 * Thrown by a validating processor for a record that cannot be used. Kelvin's processing
 * exception handler turns it into a dead letter carrying the {@link #reason()} and continues;
 * it is a value travelling the error path, so it carries no stack trace.
 */
public final class InvalidRecordException extends RuntimeException {
    private final DeadLetterReason reason;

    public InvalidRecordException(DeadLetterReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
