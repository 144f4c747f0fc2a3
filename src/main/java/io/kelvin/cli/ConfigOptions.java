package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command that talks to Kafka shares: where its configuration comes from. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with kelvin.* and Kafka client settings (SASL, TLS, ...).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (overrides bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema registry: http(s)://..., kafka://BOOTSTRAP/TOPIC (Kelvin's own, in a topic), or mock://SCOPE.")
    String schemaRegistryUrl;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
            description = "Any setting, kelvin.* or Kafka; wins over the file and the environment.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** Loads the {@code role}'s shipped defaults, then the file, environment and these options. */
    public KelvinConfig load(String role) {
        return KelvinConfig.load(role, configFile, System.getenv(), overrides());
    }

    Map<String, String> overrides() {
        Map<String, String> out = new LinkedHashMap<>(settings);
        if (bootstrapServers != null) {
            out.put("bootstrap.servers", bootstrapServers);
        }
        if (schemaRegistryUrl != null) {
            out.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl);
        }
        return out;
    }
}
