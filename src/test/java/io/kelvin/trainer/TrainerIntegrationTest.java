package io.kelvin.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.broker.TopicProvisioner;
import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.ModelContract;
import io.kelvin.model.SimulatedFleetData;
import io.kelvin.model.TrainingRow;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.TrainingDecision;
import io.kelvin.schema.TrainingReport;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
 * The trainer on a real broker: four simulated days of feedback for two buildings (their serving
 * model's logged predictions off by 2 kWh) give a report per building and per day, plus the
 * pooled model's, and releases that beat the serving model. Then the trainer restarts on an empty
 * state directory (everything restored from its changelogs), the last day's feedback is delivered
 * again, and the next night trains each model once for the new day only.
 */
class TrainerIntegrationTest {
    private static final int BUILDINGS = 2;
    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static SchemaRegistryClient registry;
    static TopicCatalogue topics;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"));
        registry = SchemaRegistries.open(config("unused"));
        topics = new TopicCatalogue(config("unused"), new KelvinSerdes(registry));
        try (Admin admin = Admin.create(config("unused").clientSettings())) {
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

    @Test
    void shouldPublishReportsAndReleasesDailyAndNeitherSkipNorRepeatADayAcrossARestart() throws Exception {
        // Shifted so its days end yesterday: the broker refuses records far ahead of its clock.
        SimulatedFleetData.Fleet fleet = TrainerFixture.utcFleet(5, BUILDINGS, 5);
        LocalDate day0 = LocalDate.now(ZoneOffset.UTC).minusDays(5);
        long shift = day0.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - SimulatedFleetData.START.toEpochMilli();
        long day4 = day0.plusDays(4).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        List<Feedback> feedback = fleet.rows().stream().map(r -> shifted(r, shift)).toList();
        List<Feedback> firstFourDays = feedback.stream().filter(f -> f.getDecidedAt().toEpochMilli() < day4).toList();
        List<Feedback> lastDayAgain = firstFourDays.stream().filter(f -> f.getDecidedAt().toEpochMilli() >= day4 - Duration.ofDays(1).toMillis()).toList();
        List<Feedback> nextNight = feedback.stream()
                .filter(f -> f.getDecidedAt().toEpochMilli() >= day4 && f.getDecidedAt().toEpochMilli() < day4 + Duration.ofMinutes(150).toMillis()).toList();

        send(fleet.profiles(), firstFourDays);
        List<TrainingReport> reports;
        try (TrainerService trainer = TrainerService.start(config("state-1"), new SimpleMeterRegistry(), Clock.systemUTC())) {
            assertThat(trainer.awaitRunning(Duration.ofSeconds(60))).as("trainer RUNNING").isTrue();
            reports = readUntil(topics.trainingReports(), 3 * BUILDINGS + 1);
        }
        assertThat(reports).hasSize(3 * BUILDINGS + 1);
        for (String key : List.of("sim-001", "sim-002")) {
            assertThat(reports).filteredOn(r -> r.getModelKey().equals(key)).extracting(TrainingReport::getTrainingDay)
                    .containsExactlyInAnyOrder(day0.plusDays(1), day0.plusDays(2), day0.plusDays(3));
        }
        // The pooled model waits for every partition: at least one of the three holds no building,
        // and it is waited for until it reports itself idle, when the backlog is done. So the pooled
        // time jumps to the end of the backlog, and the pooled model trains once, for the latest day.
        assertThat(reports).filteredOn(r -> r.getModelKey().equals(ModelContract.GLOBAL_KEY)).extracting(TrainingReport::getTrainingDay)
                .containsExactly(day0.plusDays(3));
        List<ModelRelease> releases = readUntil(topics.models(), BUILDINGS + 1);
        assertThat(releases).extracting(ModelRelease::getModelKey).containsExactlyInAnyOrder("sim-001", "sim-002", ModelContract.GLOBAL_KEY);
        assertThat(releases).allSatisfy(r -> {
            assertThat(r.getProducer()).isEqualTo(ModelTraining.PRODUCER);
            assertThat(r.getOnnx().remaining()).isPositive();
        });
        assertThat(reports).filteredOn(r -> r.getDecision() == TrainingDecision.PROMOTED).extracting(TrainingReport::getChallengerVersion)
                .containsExactlyInAnyOrderElementsOf(releases.stream().map(ModelRelease::getVersion).toList());

        // Restart from the changelogs alone; the last day arrives again, then the next night.
        send(List.of(), lastDayAgain);
        send(List.of(), nextNight);
        try (TrainerService trainer = TrainerService.start(config("state-2"), new SimpleMeterRegistry(), Clock.systemUTC())) {
            assertThat(trainer.awaitRunning(Duration.ofSeconds(60))).as("restarted trainer RUNNING").isTrue();
            reports = readUntil(topics.trainingReports(), 4 * BUILDINGS + 2);
        }
        assertThat(reports).hasSize(4 * BUILDINGS + 2);
        for (String key : List.of("sim-001", "sim-002")) {
            assertThat(reports).filteredOn(r -> r.getModelKey().equals(key)).extracting(TrainingReport::getTrainingDay)
                    .containsExactlyInAnyOrder(day0.plusDays(1), day0.plusDays(2), day0.plusDays(3), day0.plusDays(4));
        }
        assertThat(reports).filteredOn(r -> r.getModelKey().equals(ModelContract.GLOBAL_KEY)).extracting(TrainingReport::getTrainingDay)
                .containsExactlyInAnyOrder(day0.plusDays(3), day0.plusDays(4));
    }

    private static KelvinConfig config(String stateDir) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("application.id", "kelvin-trainer-it");
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("processing.guarantee", "exactly_once_v2");
        settings.put("group.protocol", "classic");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(stateDir).toString());
        settings.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "kafka://" + broker.bootstrapServers() + "/_kelvin_schemas");
        settings.put(KelvinConfig.TOPIC_PARTITIONS_CONFIG, "3");
        settings.put(KelvinConfig.INFERENCE_DEVICE_CONFIG, "cpu");
        settings.put(KelvinConfig.TRAINER_MIN_ROWS_CONFIG, "200");
        settings.put(KelvinConfig.TRAINER_GLOBAL_SAMPLE_RATE_CONFIG, "1.0");
        settings.put(KelvinConfig.TRAINER_TICK_MS_CONFIG, "500");
        // Longer than the backlog takes, so that the empty partition holds the pooled model back until it is done.
        settings.put(KelvinConfig.TRAINER_GLOBAL_IDLE_MS_CONFIG, "20000");
        return KelvinConfig.of(settings);
    }

    /** The row as the optimizer reports it, {@code shift} ms later, its serving model 2 kWh and 1.5 K off. */
    private static Feedback shifted(TrainingRow row, long shift) {
        TrainingRow moved = new TrainingRow(row.buildingId(), row.decidedAtMs() + shift, row.features(), row.energyKwh(), row.indoorC());
        return TrainerFixture.feedback(moved, "champion-1", row.energyKwh() + 2, row.indoorC() + 1.5);
    }

    private static void send(List<BuildingProfile> profiles, List<Feedback> feedback) throws Exception {
        Map<String, Object> props = new HashMap<>(config("unused").clientSettings());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (BuildingProfile p : profiles) {
                producer.send(record(topics.buildings(), p.getBuildingId(), p, null)).get();
            }
            for (Feedback f : feedback) {
                producer.send(record(topics.feedback(), f.getBuildingId(), f, f.getObservedWindowEnd()));
            }
            producer.flush();
        }
    }

    private static <V> ProducerRecord<byte[], byte[]> record(Topic<String, V> topic, String key, V value, Instant at) {
        return new ProducerRecord<>(topic.name(), null, at == null ? null : at.toEpochMilli(),
                topic.keySerde().serializer().serialize(topic.name(), key), topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /** Reads committed records from the start until {@code expected} arrived or 60 s passed, then a moment more for extras. */
    private static <V> List<V> readUntil(Topic<String, V> topic, int expected) {
        Map<String, Object> props = new HashMap<>(config("unused").clientSettings());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Deserializer<V> values = topic.valueSerde().deserializer();
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(250)).forEach(r -> out.add(values.deserialize(topic.name(), r.value())));
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> out.add(values.deserialize(topic.name(), r.value()))); // extras are defects
        }
        return out;
    }
}
