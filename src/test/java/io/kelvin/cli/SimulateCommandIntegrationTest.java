package io.kelvin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.broker.TopicProvisioner;
import io.kelvin.config.KelvinConfig;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kelvin simulate} against a real broker with Kelvin's topics but no optimizer: it
 * publishes profiles and every reading, waits the bounded lockstep time for each window, says that
 * no setpoint came back, and exits 1; against a cluster without the topics it exits 2.
 */
class SimulateCommandIntegrationTest {
    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static TopicCatalogue topics;
    static SchemaRegistryClient registry;
    static KelvinConfig config;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"));
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl());
        settings.put(KelvinConfig.TOPIC_PARTITIONS_CONFIG, "2");
        config = KelvinConfig.of(settings);
        registry = SchemaRegistries.open(config);
        topics = new TopicCatalogue(config, new KelvinSerdes(registry));
        try (Admin admin = Admin.create(config.clientSettings())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).createMissing(topics);
        }
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static String registryUrl() {
        return "kafka://" + broker.bootstrapServers() + "/_kelvin_schemas";
    }

    @Test
    void shouldPublishTheFleetAndSayThatNoSetpointCameBack() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = KelvinCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        Path report = dir.resolve("report");

        int exit = cli.execute("simulate", "--bootstrap-servers", broker.bootstrapServers(), "--schema-registry-url", registryUrl(),
                "--buildings", "2", "--days", "0.05", "--learning-days", "0.02", "--lockstep-timeout", "1s", "--report", report.toString());

        assertThat(exit).as(err.toString()).isEqualTo(1);
        List<ConsumerRecord<String, SensorReading>> readings = readAll(topics.readings().name());
        // 72 one-minute steps of two buildings, each publishing its zone sensors and five other points.
        assertThat(readings).hasSizeGreaterThanOrEqualTo(2 * 72 * 7).hasSizeLessThanOrEqualTo(2 * 72 * 8);
        assertThat(readings).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(r.value().getBuildingId());
            assertThat(r.timestamp()).isEqualTo(r.value().getObservedAt().toEpochMilli());
        });
        assertThat(readings).extracting(r -> r.value().getMetric()).contains(Metric.ZONE_TEMPERATURE_C, Metric.SETPOINT_C);
        assertThat(readAll(topics.buildings().name())).hasSize(2);
        String html = Files.readString(report.resolve("report.html"));
        assertThat(html).contains("waits timed out").contains("no command yet for");
    }

    @Test
    void shouldRefuseAClusterWithoutKelvinsTopics() {
        StringWriter err = new StringWriter();
        CommandLine cli = KelvinCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("simulate", "--bootstrap-servers", broker.bootstrapServers(), "--schema-registry-url", registryUrl(),
                "-D", "kelvin.topic.readings=kelvin.nowhere", "--days", "0.05", "--learning-days", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("Topics [kelvin.nowhere] do not exist on the cluster; kelvin simulate creates none");
    }

    @SuppressWarnings("unchecked")
    private static <V> List<ConsumerRecord<String, V>> readAll(String topic) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var serde = topics.byName(topic).valueSerde();
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                (org.apache.kafka.common.serialization.Deserializer<Object>) serde.deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add((ConsumerRecord<String, V>) (ConsumerRecord<String, ?>) r);
                }
            }
        }
        return out;
    }
}
