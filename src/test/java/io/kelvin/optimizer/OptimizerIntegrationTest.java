package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.broker.TopicProvisioner;
import io.kelvin.config.KelvinConfig;
import io.kelvin.errors.DeadLetters;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole optimizer path on a real broker: profiles and readings in (with bad records among
 * them), setpoints read back with read_committed, feedback and dead letters with their bytes.
 */
class OptimizerIntegrationTest {
    private static final int BUILDINGS = 3;
    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static KelvinConfig config;
    static SchemaRegistryClient registry;
    static TopicCatalogue topics;
    static OptimizerService optimizer;

    @BeforeAll
    static void startBrokerAndOptimizer() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"));
        Map<String, Object> settings = new HashMap<>();
        settings.put("application.id", "kelvin-optimizer-it");
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("processing.guarantee", "exactly_once_v2");
        settings.put("group.protocol", "classic");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        settings.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "kafka://" + broker.bootstrapServers() + "/_kelvin_schemas");
        settings.put(KelvinConfig.TOPIC_PARTITIONS_CONFIG, "3");
        config = KelvinConfig.of(settings);
        registry = SchemaRegistries.open(config);
        topics = new TopicCatalogue(config, new KelvinSerdes(registry));
        try (Admin admin = Admin.create(config.clientSettings())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).createMissing(topics);
        }
        optimizer = OptimizerService.start(config, new SimpleMeterRegistry(), Clock.systemUTC());
        assertThat(optimizer.awaitRunning(Duration.ofSeconds(60))).as("optimizer RUNNING").isTrue();
    }

    @AfterAll
    static void stop() {
        if (optimizer != null) {
            optimizer.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldTurnReadingsIntoSafeSetpointsFeedbackAndDeadLettersOnARealBroker() throws Exception {
        // Recent timestamps: the broker rejects records far ahead of its clock, retention deletes old ones.
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int b = 0; b < BUILDINGS; b++) {
                BuildingProfile profile = OptimizerFixture.office("b" + b);
                producer.send(new ProducerRecord<>(topics.buildings().name(), key("b" + b),
                        topics.buildings().valueSerde().serializer().serialize(topics.buildings().name(), profile))).get();
            }
            for (int minute = 0; minute <= 32; minute++) {             // windows [0,10) [10,20) [20,30) close at minute 32
                Instant at = base.plus(Duration.ofMinutes(minute));
                for (int b = 0; b < BUILDINGS; b++) {
                    for (Metric metric : List.of(Metric.ZONE_TEMPERATURE_C, Metric.OUTDOOR_TEMPERATURE_C, Metric.HVAC_POWER_KW)) {
                        double value = metric == Metric.ZONE_TEMPERATURE_C ? 21 : metric == Metric.OUTDOOR_TEMPERATURE_C ? 4 : 20 + b;
                        send(producer, topics.readings(), "b" + b, OptimizerFixture.reading("b" + b, metric, value, at));
                    }
                }
                if (minute == 5) {
                    producer.send(new ProducerRecord<>(topics.readings().name(), null, at.toEpochMilli(), key("b0"), garbage));
                    send(producer, topics.readings(), "b1", OptimizerFixture.reading("b1", Metric.ZONE_TEMPERATURE_C, Double.NaN, at));
                }
            }
            producer.flush();
        }

        List<SetpointCommand> setpoints = readUntil(topics.setpoints(), 3 * BUILDINGS);
        List<Feedback> feedback = readUntil(topics.feedback(), 2 * BUILDINGS);
        List<ConsumerRecord<byte[], byte[]>> deadLetters = readRawUntil(topics.deadLetters().name(), 2);

        assertThat(setpoints).hasSize(3 * BUILDINGS);
        assertThat(new HashSet<>(setpoints.stream().map(SetpointCommand::getDecisionId).toList())).hasSize(3 * BUILDINGS);
        for (SetpointCommand c : setpoints) {
            assertThat(c.getSetpointC()).isBetween(16.0, 26.0);
            assertThat(Math.abs(c.getSetpointC() - c.getPreviousSetpointC())).isLessThanOrEqualTo(0.5 + 1e-9);
            assertThat(c.getValidUntil()).isAfter(c.getWindowEnd());
        }
        assertThat(feedback).hasSize(2 * BUILDINGS);
        assertThat(feedback).allSatisfy(f -> assertThat(f.getObservedEnergyKwh()).isPositive());

        assertThat(deadLetters).hasSize(2);
        ConsumerRecord<byte[], byte[]> undecodable = deadLetters.stream()
                .filter(r -> reason(r).equals("deserialization-failed")).findFirst().orElseThrow();
        assertThat(undecodable.value()).isEqualTo(garbage);
        assertThat(undecodable.key()).isEqualTo(key("b0"));
        assertThat(deadLetters.stream().map(OptimizerIntegrationTest::reason)).containsExactlyInAnyOrder("deserialization-failed", "non-finite-value");
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key, SensorReading r) {
        producer.send(new ProducerRecord<>(topic.name(), null, r.getObservedAt().toEpochMilli(), key(key),
                topics.readings().valueSerde().serializer().serialize(topic.name(), r)));
    }

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    private static String reason(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8);
    }

    private static <V> List<V> readUntil(Topic<String, V> topic, int expected) {
        Deserializer<V> values = topic.valueSerde().deserializer();
        return readRawUntil(topic.name(), expected).stream().map(r -> values.deserialize(topic.name(), r.value())).toList();
    }

    /** Reads committed records from the start until {@code expected} arrived or 90 s passed, then a moment more for extras. */
    private static List<ConsumerRecord<byte[], byte[]>> readRawUntil(String topic, int expected) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(250)).forEach(out::add);
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(out::add); // anything beyond what was expected is a defect
        }
        return out;
    }
}
