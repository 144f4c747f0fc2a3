package io.kelvin.broker;

/**
 * The embedded Kafka broker could not be started: its data directory is unusable, formatting
 * failed, the broker process exited, or it did not answer in time. The message says which, and
 * quotes the broker log where the broker itself said why.
 */
public class BrokerStartException extends RuntimeException {

    public BrokerStartException(String message) {
        super(message);
    }

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
