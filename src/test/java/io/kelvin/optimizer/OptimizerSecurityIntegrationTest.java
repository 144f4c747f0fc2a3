package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.Await;
import io.kelvin.broker.DocumentedAcls;
import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.broker.EmbeddedKafkaBroker.ScramSecurity;
import io.kelvin.broker.TopicProvisioner;
import io.kelvin.config.KelvinConfig;
import io.kelvin.ops.Health;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.registry.SchemaRegistryException;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimizer on a broker that authenticates every client (SASL/SCRAM-SHA-512) and authorizes
 * every request (KRaft's {@code StandardAuthorizer}, nothing allowed without an ACL), with its
 * credentials given the way the README's client configuration shows (a properties file of Kafka
 * client settings) and exactly the ACLs the README's "Kafka ACLs" lists for it. Readings and
 * profiles come from a gateway principal (WRITE on those two topics only), setpoints are read by
 * a BMS principal (READ on {@code kelvin.setpoints} only).
 *
 * <p>And the other way round: with one documented ACL missing the optimizer stops with the
 * authorization error, as its health and readiness say, instead of retrying forever.
 */
class OptimizerSecurityIntegrationTest {
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-secret";
    private static final String OPTIMIZER = "kelvin-optimizer";
    private static final String OPTIMIZER_PASSWORD = "optimizer-secret";
    private static final String GATEWAY = "kelvin-gateway";
    private static final String BMS = "kelvin-bms";
    /** A principal of the Kafka-topic registry alone, as every Kelvin principal is one when it is used. */
    private static final String SCHEMA_USER = "kelvin-schema-user";
    private static final String REGISTRY_SCOPE = "optimizer-security-it";
    private static final int BUILDINGS = 3;
    private static final int WINDOWS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final byte[] GARBAGE = "not avro".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static SchemaRegistryClient registry;
    static TopicCatalogue topics;
    static final List<OptimizerService> optimizers = new ArrayList<>();

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"),
                EmbeddedKafkaBroker.Options.defaults().withScramSecurity(ADMIN, ADMIN_PASSWORD));
        for (String user : List.of(OPTIMIZER, "kelvin-optimizer-denied", GATEWAY, BMS, SCHEMA_USER)) {
            broker.addScramUser(user, password(user), WAIT);
        }
        KelvinConfig adminConfig = KelvinConfig.of(Map.of(
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + REGISTRY_SCOPE,
                KelvinConfig.TOPIC_PARTITIONS_CONFIG, "3"));
        registry = SchemaRegistries.open(adminConfig);
        topics = new TopicCatalogue(adminConfig, new KelvinSerdes(registry));
        try (Admin admin = Admin.create(broker.clientSettings())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).createMissing(topics);
            // Devices write readings, and here the profiles too; the BMS reads setpoints without a group.
            DocumentedAcls.grant(admin, List.of(
                    DocumentedAcls.allow(GATEWAY, AclOperation.WRITE, ResourceType.TOPIC, "kelvin.readings", PatternType.LITERAL),
                    DocumentedAcls.allow(GATEWAY, AclOperation.WRITE, ResourceType.TOPIC, "kelvin.buildings", PatternType.LITERAL),
                    DocumentedAcls.allow(BMS, AclOperation.READ, ResourceType.TOPIC, "kelvin.setpoints", PatternType.LITERAL)));
        }
    }

    @AfterAll
    static void stop() {
        optimizers.forEach(OptimizerService::close);
        if (registry != null) {
            registry.close();
        }
        MockSchemaRegistry.dropScope(REGISTRY_SCOPE);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldDecideEveryWindowWithOnlyTheDocumentedAclsOverSaslScram() throws Exception {
        try (Admin admin = Admin.create(broker.clientSettings())) {
            DocumentedAcls.grant(admin, DocumentedAcls.optimizer(OPTIMIZER, OPTIMIZER));
        }
        OptimizerService optimizer = startOptimizer(OPTIMIZER, OPTIMIZER);
        assertThat(optimizer.awaitRunning(WAIT)).as("optimizer RUNNING with SCRAM credentials and the documented ACLs").isTrue();

        publishFleet();
        List<SetpointCommand> commands = Await.until(Duration.ofSeconds(90), Duration.ofMillis(250),
                () -> readCommitted(BMS, topics.setpoints().name()), c -> c.size() >= BUILDINGS * WINDOWS).stream()
                .map(r -> topics.setpoints().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
        // Written in the same transactions as the commands: read as the admin, who may read anything.
        List<ConsumerRecord<byte[], byte[]>> feedback = readCommitted(ADMIN, topics.feedback().name());
        List<ConsumerRecord<byte[], byte[]>> deadLetters = readCommitted(ADMIN, topics.deadLetters().name());

        assertThat(commands).hasSize(BUILDINGS * WINDOWS);
        assertThat(commands.stream().map(SetpointCommand::getDecisionId).distinct().count())
                .as("distinct decision ids").isEqualTo(BUILDINGS * WINDOWS);
        assertThat(commands.stream().collect(Collectors.groupingBy(SetpointCommand::getBuildingId, Collectors.counting())))
                .hasSize(BUILDINGS).allSatisfy((building, n) -> assertThat(n).isEqualTo(WINDOWS));
        assertThat(commands).allSatisfy(c -> {
            assertThat(c.getSetpointC()).isBetween(16.0, 26.0);
            assertThat(Math.abs(c.getSetpointC() - c.getPreviousSetpointC())).isLessThanOrEqualTo(0.5 + 1e-9);
            assertThat(c.getValidUntil()).isAfter(c.getWindowEnd());
        });
        assertThat(feedback).as("feedback: every window but the last joined to its outcome").hasSize(BUILDINGS * (WINDOWS - 1));
        assertThat(deadLetters).extracting(ConsumerRecord::value).containsExactly(GARBAGE);
        assertThat(Health.of(optimizer).ready()).isTrue();
    }

    @Test
    void shouldStopAndSayWhyWhenTheTransactionalIdAclIsMissing() throws Exception {
        // Its own principal and application id (a renamed deployment), so that nothing is shared with the other test.
        String principal = "kelvin-optimizer-denied";
        List<AclBinding> allButTransactionalIds = DocumentedAcls.optimizer(principal, principal).stream()
                .filter(acl -> acl.pattern().resourceType() != ResourceType.TRANSACTIONAL_ID).toList();
        assertThat(allButTransactionalIds).hasSize(DocumentedAcls.optimizer(principal, principal).size() - 1);
        try (Admin admin = Admin.create(broker.clientSettings())) {
            DocumentedAcls.grant(admin, allButTransactionalIds);
        }
        OptimizerService optimizer = startOptimizer(principal, principal);

        KafkaStreams.State state = Await.until(WAIT, Duration.ofMillis(100), optimizer::streamsState, s -> s == KafkaStreams.State.ERROR);

        assertThat(state).isEqualTo(KafkaStreams.State.ERROR);
        Health health = Health.of(optimizer);
        assertThat(health.live()).as("liveness fails, so Kubernetes restarts the pod").isFalse();
        assertThat(health.reasons()).anySatisfy(reason -> assertThat(reason)
                .contains("Optimizer is not authorized by the Kafka cluster")
                .contains("TransactionalIdAuthorizationException")
                .contains("Kafka ACLs"));
    }

    @Test
    void shouldEndTheKelvinOptimizerProcessWithExitCode1NamingTheMissingAcl() throws Exception {
        // The same principal as above, without the transactional-id ACL, as a `kelvin optimizer` process.
        String principal = "kelvin-optimizer-denied";
        try (Admin admin = Admin.create(broker.clientSettings())) {
            DocumentedAcls.grant(admin, DocumentedAcls.optimizer(principal, principal).stream()
                    .filter(acl -> acl.pattern().resourceType() != ResourceType.TRANSACTIONAL_ID).toList());
        }
        Path log = dir.resolve("cli.log");
        Process cli = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", absoluteClassPath(), "io.kelvin.cli.KelvinCli", "optimizer",
                "--config", clientPropertiesFile(principal).toString(),
                "-D", "application.id=" + principal + "-cli",
                "-D", "state.dir=" + dir.resolve("state-cli"),
                "-D", KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG + "=mock://cli",
                "-D", KelvinConfig.HTTP_PORT_CONFIG + "=0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = cli.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(exited).as("process ended within " + WAIT + "; its log:\n" + Files.readString(log)).isTrue();
            assertThat(cli.exitValue()).isEqualTo(1);
            assertThat(Files.readAllLines(log)).anySatisfy(line -> assertThat(line)
                    .startsWith("kelvin optimizer: Kafka Streams has stopped (ERROR): Optimizer is not authorized by the Kafka cluster")
                    .contains("TransactionalIdAuthorizationException"));
        } finally {
            cli.destroyForcibly();
        }
    }

    @Test
    void shouldRefuseAWrongPasswordAndAPrincipalWithoutAcls() {
        Map<String, Object> wrongPassword = new HashMap<>(broker.clientSettings());
        wrongPassword.putAll(ScramSecurity.clientSecurity(OPTIMIZER, "not-the-password"));
        assertThatThrownBy(() -> describeTopics(wrongPassword))
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);

        // Authenticated, but the BMS may read setpoints only.
        Map<String, Object> bms = new HashMap<>(broker.clientSettings());
        bms.putAll(ScramSecurity.clientSecurity(BMS, password(BMS)));
        bms.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);   // else refused a producer id first (no WRITE on any topic)
        assertThatThrownBy(() -> {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(bms, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("kelvin.setpoints", new byte[0])).get(30, TimeUnit.SECONDS);
            }
        }).hasRootCauseInstanceOf(TopicAuthorizationException.class).hasStackTraceContaining("kelvin.setpoints");
    }

    /**
     * The Kafka-topic registry (kafka:// URLs) under ACLs: READ and WRITE on its topic, which the
     * README once listed alone, are not enough for a client that registers a schema (it asks to
     * create the topic, and a principal without CREATE is refused even when the topic exists);
     * with CREATE too, one client registers and another reads the schema back.
     */
    @Test
    void shouldNeedCreateBesidesReadAndWriteOnTheKafkaTopicRegistrysTopic() throws Exception {
        String schemaTopic = "_kelvin_schemas";
        List<AclBinding> documented = DocumentedAcls.kafkaTopicRegistry(SCHEMA_USER, schemaTopic);
        Map<String, Object> settings = new HashMap<>(broker.clientSettings());
        settings.putAll(ScramSecurity.clientSecurity(SCHEMA_USER, password(SCHEMA_USER)));
        settings.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "kafka://" + broker.bootstrapServers() + "/" + schemaTopic);
        KelvinConfig config = KelvinConfig.of(settings);
        String subject = topics.setpoints().name() + "-value";
        try (Admin admin = Admin.create(broker.clientSettings())) {
            admin.createTopics(List.of(new NewTopic(schemaTopic, 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get(30, TimeUnit.SECONDS);
            DocumentedAcls.grant(admin, documented.stream().filter(acl -> acl.entry().operation() != AclOperation.CREATE).toList());

            try (SchemaRegistryClient readWriteOnly = SchemaRegistries.open(config)) {
                assertThatThrownBy(() -> readWriteOnly.register(subject, SetpointCommand.getClassSchema()))
                        .isInstanceOf(SchemaRegistryException.class)
                        .hasMessageContaining("Cannot create the schema topic " + schemaTopic)
                        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
            }
            DocumentedAcls.grant(admin, documented);
        }

        int id;
        try (SchemaRegistryClient writer = SchemaRegistries.open(config)) {
            id = writer.register(subject, SetpointCommand.getClassSchema());
        }
        try (SchemaRegistryClient reader = SchemaRegistries.open(config)) {
            assertThat(reader.getById(id)).isEqualTo(SetpointCommand.getClassSchema());
        }
    }

    /** A client configuration file as the README shows it. */
    private static Path clientPropertiesFile(String user) throws Exception {
        Path file = dir.resolve(user + ".properties");
        Files.writeString(file, """
                bootstrap.servers=%s
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";
                """.formatted(broker.bootstrapServers(), user, password(user)));
        return file;
    }

    /** Kelvin's shipped optimizer defaults, then a client configuration file as the README shows it, then the test's paths. */
    private static OptimizerService startOptimizer(String user, String applicationId) throws Exception {
        KelvinConfig config = KelvinConfig.load("optimizer", clientPropertiesFile(user), Map.of(), Map.of(
                "application.id", applicationId,
                "state.dir", dir.resolve("state-" + user).toString(),
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + REGISTRY_SCOPE,
                KelvinConfig.INFERENCE_BATCH_LINGER_MS_CONFIG, "100"));
        OptimizerService optimizer = OptimizerService.start(config, new SimpleMeterRegistry(), Clock.systemUTC());
        optimizers.add(optimizer);
        return optimizer;
    }

    /** Profiles, then readings of every window and past the last one's grace, as the gateway principal. */
    private static void publishFleet() throws Exception {
        // Recent timestamps: the broker rejects records far ahead of its clock, retention deletes old ones.
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        Map<String, Object> settings = new HashMap<>(broker.clientSettings());
        settings.putAll(ScramSecurity.clientSecurity(GATEWAY, password(GATEWAY)));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int b = 0; b < BUILDINGS; b++) {
                BuildingProfile profile = OptimizerFixture.office("b" + b);
                producer.send(new ProducerRecord<>(topics.buildings().name(), key("b" + b),
                        topics.buildings().valueSerde().serializer().serialize(topics.buildings().name(), profile))).get(30, TimeUnit.SECONDS);
            }
            for (int minute = 0; minute <= WINDOWS * 10 + 2; minute++) {     // the last window closes at grace, 2 minutes after its end
                Instant at = base.plus(Duration.ofMinutes(minute));
                if (minute == 5) {                                           // for the dead-letter topic
                    producer.send(new ProducerRecord<>(topics.readings().name(), null, at.toEpochMilli(), key("b0"), GARBAGE));
                }
                for (int b = 0; b < BUILDINGS; b++) {
                    for (Metric metric : List.of(Metric.ZONE_TEMPERATURE_C, Metric.OUTDOOR_TEMPERATURE_C, Metric.HVAC_POWER_KW)) {
                        double value = metric == Metric.ZONE_TEMPERATURE_C ? 21 : metric == Metric.OUTDOOR_TEMPERATURE_C ? 4 : 20 + b;
                        SensorReading r = OptimizerFixture.reading("b" + b, metric, value, at);
                        producer.send(new ProducerRecord<>(topics.readings().name(), null, at.toEpochMilli(), key("b" + b),
                                topics.readings().valueSerde().serializer().serialize(topics.readings().name(), r)));
                    }
                }
            }
            producer.flush();
        }
    }

    /** Every committed record of {@code topic} so far, read as {@code user} (no group: it assigns partitions). */
    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String user, String topic) {
        Map<String, Object> settings = new HashMap<>(broker.clientSettings());
        settings.putAll(ScramSecurity.clientSecurity(user, password(user)));
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);   // read_committed: the last stable offsets
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static void describeTopics(Map<String, Object> settings) throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(settings)) {
            admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    }

    private static String password(String user) {
        return user.equals(ADMIN) ? ADMIN_PASSWORD : user.equals(OPTIMIZER) ? OPTIMIZER_PASSWORD : user + "-secret";
    }

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }
}
