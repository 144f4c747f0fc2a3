package io.kelvin.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * In-memory registry for tests, addressed as {@code mock://scope}: every client of one scope in
 * one JVM sees the same schemas, as Confluent's {@code mock://} URLs do. Drop a scope in test
 * teardown with {@link #dropScope(String)}.
 *
 * <p>Like a real registry, ids are global (one id per distinct schema, whatever the subject) and
 * each subject keeps its versions, so tests can check which subject a serde registered under.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<Schema, Integer> idsBySchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    private MockSchemaRegistry() {}

    /** The registry of {@code scope}, created on first use. */
    public static MockSchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new MockSchemaRegistry());
    }

    /** Forgets every schema of {@code scope}. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public int register(String subject, Schema schema) {
        int id = idsBySchema.computeIfAbsent(schema, s -> {
            int next = nextId.getAndIncrement();
            schemasById.put(next, s);
            return next;
        });
        // Registering a schema a subject already has adds no version, as in Confluent's registry.
        versionsBySubject.compute(subject, (s, ids) -> {
            List<Integer> out = ids == null ? new CopyOnWriteArrayList<>() : ids;
            if (!out.contains(id)) {
                out.add(id);
            }
            return out;
        });
        return id;
    }

    /** The ids registered under {@code subject}, version 1 first; empty for an unknown subject. */
    public List<Integer> schemaIdsOf(String subject) {
        List<Integer> ids = versionsBySubject.get(subject);
        return ids == null ? List.of() : List.copyOf(ids);
    }

    @Override
    public Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404, 40403, null);
        }
        return schema;
    }
}
