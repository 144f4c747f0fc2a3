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
        return find(e) != null;
    }

    /** The message of the {@link SchemaRegistryUnavailableException} in {@code e}'s causes, else {@code e}'s own. */
    public static String messageOf(Throwable e) {
        SchemaRegistryUnavailableException unavailable = find(e);
        return unavailable != null ? unavailable.getMessage() : e.getMessage();
    }

    private static SchemaRegistryUnavailableException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryUnavailableException unavailable) {
                return unavailable;
            }
        }
        return null;
    }
}
