package io.kelvin.registry;

import java.io.Closeable;
import org.apache.avro.Schema;

/**
 * The two calls Kelvin's serdes need from a Confluent-compatible schema registry.
 *
 * <p>Implementations are thread-safe and cache: a schema registered or fetched once is never
 * asked for again, so the per-record cost after warm-up is a map lookup.
 */
public interface SchemaRegistryClient extends Closeable {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /**
     * Returns the schema with global id {@code id}.
     *
     * @throws SchemaRegistryException when no schema has that id or the registry cannot answer
     */
    Schema getById(int id);

    @Override
    default void close() {}
}
