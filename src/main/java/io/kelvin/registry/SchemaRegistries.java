package io.kelvin.registry;

import io.kelvin.config.KelvinConfig;

/** Opens the registry a {@code kelvin.schema.registry.url} names. */
public final class SchemaRegistries {

    private SchemaRegistries() {}

    /**
     * {@code mock://scope}: in-memory, per JVM (tests).
     * {@code kafka://HOST:PORT/TOPIC}: {@link KafkaSchemaRegistry}, shared through a topic; the caller closes it.
     */
    public static SchemaRegistryClient open(KelvinConfig config) {
        String url = config.getString(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG);
        if (url.startsWith("mock://")) {
            return MockSchemaRegistry.forScope(url.substring("mock://".length()));
        }
        if (url.startsWith(KafkaSchemaRegistry.SCHEME)) {
            return KafkaSchemaRegistry.open(config);
        }
        throw new IllegalArgumentException(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG + "=" + url
                + ": unsupported scheme (expected mock://)");
    }
}
