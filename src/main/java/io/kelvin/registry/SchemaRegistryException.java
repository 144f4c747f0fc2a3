package io.kelvin.registry;

/** A schema registry refused or failed a request; the message says which and why. */
public class SchemaRegistryException extends RuntimeException {
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message) {
        this(message, -1, -1, null);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        this(message, -1, -1, cause);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** HTTP status of the failed call, or -1 when the failure was not an HTTP answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent {@code error_code} of the failed call (for example 40403), or -1. */
    public int errorCode() {
        return errorCode;
    }
}
