package io.kelvin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KelvinConfigTest {

    private static final Map<String, String> NO_ENV = Map.of();
    private static final Map<String, String> REGISTRY = Map.of(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://kelvin-config-test");

    @TempDir
    Path dir;

    @Test
    void shouldLoadTheShippedOptimizerDefaults() {
        KelvinConfig config = KelvinConfig.load("optimizer", null, NO_ENV, REGISTRY);

        assertThat(config.applicationId()).isEqualTo("kelvin-optimizer");
        assertThat(config.kafkaSettings()).containsOnly(
                entry("application.id", "kelvin-optimizer"),
                entry("processing.guarantee", "exactly_once_v2"),
                entry("group.protocol", "classic"),
                entry("num.stream.threads", "1"));
        assertThat(config.getLong(KelvinConfig.WINDOW_SIZE_MS_CONFIG)).isEqualTo(600_000L);
        assertThat(config.getLong(KelvinConfig.WINDOW_GRACE_MS_CONFIG)).isEqualTo(120_000L);
        assertThat(config.getDouble(KelvinConfig.SETPOINT_MAX_CHANGE_K_CONFIG)).isEqualTo(0.5);
        assertThat(config.getLong(KelvinConfig.SETPOINT_VALIDITY_MS_CONFIG)).isEqualTo(1_500_000L);
        // Not in the file: ConfigDef's defaults.
        assertThat(config.getString(KelvinConfig.READINGS_TOPIC_CONFIG)).isEqualTo("kelvin.readings");
        assertThat(config.getInt(KelvinConfig.SCHEMA_REGISTRY_TIMEOUT_MS_CONFIG)).isEqualTo(10_000);
        assertThat(config.getPassword(KelvinConfig.SCHEMA_REGISTRY_BASIC_AUTH_CONFIG)).isNull();
    }

    @Test
    void shouldRequireASchemaRegistryUrl() {
        assertThatThrownBy(() -> KelvinConfig.load("optimizer", null, NO_ENV, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kelvin.schema.registry.url");
    }

    @Test
    void shouldRefuseARoleWithoutShippedDefaults() {
        assertThatThrownBy(() -> KelvinConfig.load("optimiser", null, NO_ENV, REGISTRY))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("optimiser");
    }

    @Test
    void shouldLayerShippedDefaultsThenFileThenEnvironmentThenOverrides() throws IOException {
        Path file = Files.writeString(dir.resolve("kelvin.properties"), """
                kelvin.window.size.ms=300000
                kelvin.window.grace.ms=60000
                bootstrap.servers=file-broker:9092
                commit.interval.ms=500
                kelvin.schema.registry.url=http://file-registry:8081
                """);
        Map<String, String> env = Map.of(
                "KELVIN_WINDOW_GRACE_MS", "30000",
                "KAFKA_BOOTSTRAP_SERVERS", "env-broker:9092",
                "KELVIN_SCHEMA_REGISTRY_URL", "http://env-registry:8081");
        Map<String, String> overrides = Map.of(
                "bootstrap.servers", "cli-broker:9092",
                KelvinConfig.SETPOINT_VALIDITY_MS_CONFIG, "1200000");

        KelvinConfig config = KelvinConfig.load("optimizer", file, env, overrides);

        assertThat(config.getLong(KelvinConfig.WINDOW_SIZE_MS_CONFIG)).as("file over shipped").isEqualTo(300_000L);
        assertThat(config.kafkaSettings()).as("file over shipped").containsEntry("commit.interval.ms", "500");
        assertThat(config.getLong(KelvinConfig.WINDOW_GRACE_MS_CONFIG)).as("environment over file").isEqualTo(30_000L);
        assertThat(config.getString(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG)).as("environment over file")
                .isEqualTo("http://env-registry:8081");
        assertThat(config.kafkaSettings()).as("overrides over environment").containsEntry("bootstrap.servers", "cli-broker:9092");
        assertThat(config.getLong(KelvinConfig.SETPOINT_VALIDITY_MS_CONFIG)).as("overrides over shipped").isEqualTo(1_200_000L);
        assertThat(config.applicationId()).as("shipped, untouched").isEqualTo("kelvin-optimizer");
    }

    @Test
    void shouldTakeKafkaSettingsFromKafkaEnvironmentVariables() {
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker-1:9092,broker-2:9092",
                "KAFKA_PRODUCER_ACKS", "all",
                "KELVIN_TOPIC_TRAINING_REPORTS", "site-a.training-reports",
                // Set by Kafka's own scripts and images; not settings, so not an error either.
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "KELVIN_HOME", "/opt/kelvin");

        KelvinConfig config = KelvinConfig.load("optimizer", null, env, REGISTRY);

        assertThat(config.kafkaSettings())
                .containsEntry("bootstrap.servers", "broker-1:9092,broker-2:9092")
                .containsEntry("producer.acks", "all")
                .doesNotContainKeys("heap.opts");
        assertThat(config.getString(KelvinConfig.TRAINING_REPORTS_TOPIC_CONFIG)).isEqualTo("site-a.training-reports");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kelvin.window.grace", "kelvin.schema.registry.basic.auth.userinfo", "kelvin.topic.reading"})
    void shouldRefuseAnUnknownKelvinSettingNamingIt(String key) {
        assertThatThrownBy(() -> KelvinConfig.load("optimizer", null, NO_ENV, with(REGISTRY, key, "120000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bootstrap.server", "producer.ack", "main.consumer.max.poll.record",
            "topic.min.insync.replica", "consumer.isolation.levle", "sasl.mechanisms", "num.stream.thread"})
    void shouldRefuseAMisspeltKafkaSettingNamingIt(String key) {
        assertThatThrownBy(() -> KelvinConfig.load("optimizer", null, NO_ENV, with(REGISTRY, key, "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @Test
    void shouldRefuseAMisspeltSettingInTheUserFile() throws IOException {
        Path file = Files.writeString(dir.resolve("kelvin.properties"), "bootstrap.server=broker:9092\n");

        assertThatThrownBy(() -> KelvinConfig.load("optimizer", file, NO_ENV, REGISTRY))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.server");
    }

    @Test
    void shouldNotPrintTheValueOfAnUnknownSetting() {
        // A typo in a secret's key must not put the secret on stderr.
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"kelvin\" password=\"hunter2-s3cret\";";

        assertThatThrownBy(() -> KelvinConfig.load("optimizer", null, NO_ENV, with(REGISTRY, "sasl.jaas.confg", jaas)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sasl.jaas.confg")
                .hasMessageNotContaining("hunter2-s3cret");
    }

    @Test
    void shouldPassPrefixedAndSecurityKafkaSettingsThroughUnchanged() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"kelvin\" password=\"s3cret\";";
        Map<String, String> overrides = new HashMap<>(REGISTRY);
        overrides.putAll(Map.of(
                "bootstrap.servers", "broker-1.example:9093",
                "producer.acks", "all",
                "main.consumer.max.poll.records", "200",
                "topic.min.insync.replicas", "2",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", jaas,
                "ssl.truststore.location", "/etc/kelvin/truststore.jks",
                KelvinConfig.WINDOW_GRACE_MS_CONFIG, "90000"));

        KelvinConfig config = KelvinConfig.load("optimizer", null, NO_ENV, overrides);

        assertThat(config.kafkaSettings())
                .containsEntry("producer.acks", "all")
                .containsEntry("main.consumer.max.poll.records", "200")
                .containsEntry("topic.min.insync.replicas", "2")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", jaas)
                .containsEntry("ssl.truststore.location", "/etc/kelvin/truststore.jks")
                .allSatisfy((key, value) -> assertThat(key).doesNotStartWith("kelvin."));
        assertThat(config.clientSettings())
                .containsKeys("bootstrap.servers", "security.protocol", "sasl.mechanism", "sasl.jaas.config")
                .doesNotContainKeys("producer.acks", "topic.min.insync.replicas", "application.id");
        // Kafka Streams itself understands what was passed through.
        StreamsConfig streams = new StreamsConfig(config.kafkaSettings());
        assertThat(streams.getProducerConfigs("kelvin-test")).containsEntry("acks", "all");
        assertThat(streams.getMainConsumerConfigs("kelvin", "kelvin-test", 0)).containsEntry("max.poll.records", "200");
        assertThat(streams.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX)).containsEntry("min.insync.replicas", "2");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "kelvin.window.grace.ms, -1",
            "kelvin.window.size.ms, 500",
            "kelvin.topic.partitions, 0",
            "kelvin.setpoint.max.change.per.step.k, 11",
            "kelvin.schema.registry.timeout.ms, fast",
    })
    void shouldRefuseAnInvalidValueNamingTheSetting(String key, String value) {
        assertThatThrownBy(() -> KelvinConfig.load("optimizer", null, NO_ENV, with(REGISTRY, key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(value);
    }

    @Test
    void shouldNameTheSettingOfAnInvalidEnvironmentValue() {
        assertThatThrownBy(() -> KelvinConfig.load("optimizer", null, Map.of("KELVIN_WINDOW_GRACE_MS", "-120000"), REGISTRY))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kelvin.window.grace.ms")
                .hasMessageContaining("at least 0");
    }

    @Test
    void shouldKeepRegistryCredentialsHidden() {
        KelvinConfig config = KelvinConfig.load("optimizer", null, NO_ENV, Map.of(
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "https://registry.example:8081",
                KelvinConfig.SCHEMA_REGISTRY_BASIC_AUTH_CONFIG, "kelvin:s3cret"));

        assertThat(config.getPassword(KelvinConfig.SCHEMA_REGISTRY_BASIC_AUTH_CONFIG).value()).isEqualTo("kelvin:s3cret");
        assertThat(config.getPassword(KelvinConfig.SCHEMA_REGISTRY_BASIC_AUTH_CONFIG)).hasToString("[hidden]");
        assertThat(config.values().toString()).doesNotContain("s3cret");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> out = new HashMap<>(base);
        out.put(key, value);
        return out;
    }
}
