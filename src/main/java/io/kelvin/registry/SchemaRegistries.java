package io.kelvin.registry;

import io.kelvin.config.KelvinConfig;

/** Opens the registry a {@code kelvin.schema.registry.url} names. */
public final class SchemaRegistries {

    private SchemaRegistries() {}

    /**
     * {@code mock://scope}: in-memory, per JVM (tests). {@code http://} and {@code https://}: a
     * Confluent-compatible registry (comma-separated URLs for failover) with the configured
     * credentials and timeout, see {@link HttpSchemaRegistryClient#fromConfig}.
     * {@code kafka://HOST:PORT/TOPIC}: {@link KafkaSchemaRegistry}, shared through a topic of the
     * cluster. The caller closes what it opened.
     */
    public static SchemaRegistryClient open(KelvinConfig config) {
        String url = config.getString(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG);
        if (url.startsWith("mock://")) {
            return MockSchemaRegistry.forScope(url.substring("mock://".length()));
        }
        if (url.startsWith("http://") || url.startsWith("https://")) {
            return HttpSchemaRegistryClient.fromConfig(config);
        }
        if (url.startsWith(KafkaSchemaRegistry.SCHEME)) {
            return KafkaSchemaRegistry.open(config);
        }
        // Name the scheme only: a URL may carry credentials.
        String scheme = url.contains("://") ? url.substring(0, url.indexOf("://") + 3) : "(none)";
        throw new IllegalArgumentException(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG + ": unsupported scheme " + scheme
                + " (expected http://, https://, kafka:// or mock://)");
    }
}
