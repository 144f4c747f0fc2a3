package io.kelvin.registry;

/**
 * The registry could not be asked: it gave no answer in time, could not be reached, or the call
 * was interrupted. Unlike its parent, this says nothing about the schema or the record being
 * written or read: the same call may succeed once the registry (or, for {@code kafka://}, the
 * broker) is back. A record that meets it must be processed again later, not dead-lettered.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code e} or one of its causes is a {@link SchemaRegistryUnavailableException}. */
    public static boolean isCauseOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
