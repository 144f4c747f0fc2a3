package io.kelvin.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.Await;
import io.kelvin.broker.DocumentedAcls;
import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.broker.TopicProvisioner;
import io.kelvin.config.KelvinConfig;
import io.kelvin.model.SimulatedFleetData;
import io.kelvin.model.TrainingRow;
import io.kelvin.ops.Health;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.TrainingReport;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer on a broker that encrypts (TLS, a self-signed certificate trusted as a PEM trust
 * store, as the Kubernetes manifests trust a cluster's CA), authenticates every client
 * (SASL_SSL, SCRAM-SHA-512) and authorizes every request (KRaft's {@code StandardAuthorizer}),
 * with its credentials in a client properties file as the README shows and only the ACLs the
 * README's "Kafka ACLs" lists for it: three days
 * of feedback give each building a training report per day and a release, the way {@link
 * TrainerIntegrationTest} checks on an open broker.
 */
class TrainerSecurityIntegrationTest {
    private static final String ADMIN = "admin";
    private static final String TRAINER = "kelvin-trainer";
    /** Stands in for the optimizer, which writes the feedback, and for whoever keeps the profiles. */
    private static final String SOURCE = "kelvin-feedback-source";
    private static final String REGISTRY_SCOPE = "trainer-security-it";
    private static final int BUILDINGS = 2;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static SchemaRegistryClient registry;
    static TopicCatalogue topics;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"),
                EmbeddedKafkaBroker.Options.defaults().withScramSecurityOverTls(ADMIN, password(ADMIN)));
        broker.addScramUser(TRAINER, password(TRAINER), WAIT);
        broker.addScramUser(SOURCE, password(SOURCE), WAIT);
        KelvinConfig adminConfig = KelvinConfig.of(Map.of(
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + REGISTRY_SCOPE,
                KelvinConfig.TOPIC_PARTITIONS_CONFIG, "3"));
        registry = SchemaRegistries.open(adminConfig);
        topics = new TopicCatalogue(adminConfig, new KelvinSerdes(registry));
        try (Admin admin = Admin.create(broker.clientSettings())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).createMissing(topics);
            DocumentedAcls.grant(admin, List.of(
                    DocumentedAcls.allow(SOURCE, AclOperation.WRITE, ResourceType.TOPIC, "kelvin.feedback", PatternType.LITERAL),
                    DocumentedAcls.allow(SOURCE, AclOperation.WRITE, ResourceType.TOPIC, "kelvin.buildings", PatternType.LITERAL)));
        }
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        MockSchemaRegistry.dropScope(REGISTRY_SCOPE);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldTrainAndReleaseWithOnlyTheDocumentedAclsOverSaslScram() throws Exception {
        try (Admin admin = Admin.create(broker.clientSettings())) {
            DocumentedAcls.grant(admin, DocumentedAcls.trainer(TRAINER, TRAINER));
        }
        // Shifted so its days end yesterday: the broker refuses records far ahead of its clock.
        SimulatedFleetData.Fleet fleet = TrainerFixture.utcFleet(5, BUILDINGS, 5);
        LocalDate day0 = LocalDate.now(ZoneOffset.UTC).minusDays(5);
        long shift = day0.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - SimulatedFleetData.START.toEpochMilli();
        long day4 = day0.plusDays(4).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        List<Feedback> feedback = fleet.rows().stream().map(r -> shifted(r, shift))
                .filter(f -> f.getDecidedAt().toEpochMilli() < day4).toList();
        sendAsSource(fleet.profiles(), feedback);

        try (TrainerService trainer = TrainerService.start(config(), new SimpleMeterRegistry(), Clock.systemUTC())) {
            assertThat(trainer.awaitRunning(Duration.ofSeconds(60))).as("trainer RUNNING with SCRAM credentials and the documented ACLs").isTrue();
            List<TrainingReport> reports = Await.until(WAIT, Duration.ofMillis(250),
                    () -> readCommittedAsAdmin(topics.trainingReports()),
                    r -> r.stream().filter(t -> t.getModelKey().startsWith("sim-")).count() >= 3 * BUILDINGS);
            List<ModelRelease> releases = readCommittedAsAdmin(topics.models());

            for (String key : List.of("sim-001", "sim-002")) {
                assertThat(reports).filteredOn(r -> r.getModelKey().equals(key)).extracting(TrainingReport::getTrainingDay)
                        .containsExactlyInAnyOrder(day0.plusDays(1), day0.plusDays(2), day0.plusDays(3));
            }
            assertThat(releases).extracting(ModelRelease::getModelKey).contains("sim-001", "sim-002");
            assertThat(releases).allSatisfy(r -> assertThat(r.getProducer()).isEqualTo(ModelTraining.PRODUCER));
            assertThat(Health.of(trainer).ready()).isTrue();
        }
    }

    @Test
    void shouldRefuseATlsClientThatDoesNotTrustTheBrokersCertificate() {
        Map<String, Object> settings = broker.clientSettings(TRAINER, password(TRAINER));
        settings.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
        settings.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);   // the JVM's default CAs do not know the broker

        assertThatThrownBy(() -> {
            try (Admin admin = Admin.create(settings)) {
                admin.listTopics().names().get(30, TimeUnit.SECONDS);
            }
        }).hasCauseInstanceOf(SslAuthenticationException.class).hasStackTraceContaining("PKIX path building failed");
    }

    /** Kelvin's shipped trainer defaults, then a client configuration file as the README shows it, then the test's settings. */
    private static KelvinConfig config() throws Exception {
        Path file = dir.resolve("trainer.properties");
        Files.writeString(file, """
                bootstrap.servers=%s
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";
                ssl.truststore.type=PEM
                ssl.truststore.location=%s
                """.formatted(broker.bootstrapServers(), TRAINER, password(TRAINER), broker.certificateFile()));
        return KelvinConfig.load("trainer", file, Map.of(), Map.of(
                "state.dir", dir.resolve("state").toString(),
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + REGISTRY_SCOPE,
                KelvinConfig.INFERENCE_DEVICE_CONFIG, "cpu",
                KelvinConfig.TRAINER_MIN_ROWS_CONFIG, "200",
                KelvinConfig.TRAINER_TICK_MS_CONFIG, "500"));
    }

    /** The row as the optimizer reports it, {@code shift} ms later, its serving model 2 kWh and 1.5 K off. */
    private static Feedback shifted(TrainingRow row, long shift) {
        TrainingRow moved = new TrainingRow(row.buildingId(), row.decidedAtMs() + shift, row.features(), row.energyKwh(), row.indoorC());
        return TrainerFixture.feedback(moved, "champion-1", row.energyKwh() + 2, row.indoorC() + 1.5);
    }

    private static void sendAsSource(List<BuildingProfile> profiles, List<Feedback> feedback) throws Exception {
        Map<String, Object> settings = broker.clientSettings(SOURCE, password(SOURCE));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (BuildingProfile p : profiles) {
                producer.send(record(topics.buildings(), p.getBuildingId(), p, null)).get(30, TimeUnit.SECONDS);
            }
            for (Feedback f : feedback) {
                producer.send(record(topics.feedback(), f.getBuildingId(), f, f.getObservedWindowEnd().toEpochMilli()));
            }
            producer.flush();
        }
    }

    private static <V> ProducerRecord<byte[], byte[]> record(Topic<String, V> topic, String key, V value, Long at) {
        return new ProducerRecord<>(topic.name(), null, at,
                topic.keySerde().serializer().serialize(topic.name(), key), topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /** Every committed record of {@code topic} so far, read as the admin (no group: it assigns partitions). */
    private static <V> List<V> readCommittedAsAdmin(Topic<String, V> topic) {
        Map<String, Object> settings = new HashMap<>(broker.clientSettings());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);   // read_committed: the last stable offsets
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(topic.valueSerde().deserializer().deserialize(topic.name(), r.value())));
            }
        }
        return out;
    }

    private static String password(String user) {
        return user + "-secret";
    }
}
