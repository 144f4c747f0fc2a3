package io.kelvin.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.config.KelvinConfig;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real broker for the whole class (a broker JVM costs seconds on a 2-core machine); the
 * tests that restart and stop it run last, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedKafkaBrokerIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SCOPE = "embedded-broker-it";

    @TempDir
    static Path tempDir;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(tempDir.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    @Order(1)
    void shouldShowReadCommittedConsumersOnlyCommittedTransactions() throws Exception {
        String topic = "transactions";
        createTopic(topic, 1);

        try (KafkaProducer<String, String> producer = transactionalProducer("it-tx")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "b-1", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "b-1", "committed"));
            producer.commitTransaction();
        }

        assertThat(readAll(topic, 1)).extracting(ConsumerRecord::value).containsExactly("committed");
    }

    @Test
    @Order(2)
    void shouldCreateEveryCatalogueTopicWithItsPartitionsAndConfigsIdempotently() throws Exception {
        KelvinConfig config = KelvinConfig.of(Map.of(
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE,
                KelvinConfig.TOPIC_PARTITIONS_CONFIG, "3"));
        TopicCatalogue catalogue = new TopicCatalogue(config, new KelvinSerdes(MockSchemaRegistry.forScope(SCOPE)));
        List<String> names = catalogue.all().stream().map(Topic::name).toList();

        try (Admin admin = admin()) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, WAIT);
            TopicProvisioner.Result first = provisioner.createMissing(catalogue);
            TopicProvisioner.Result second = provisioner.createMissing(catalogue);

            assertThat(first.created()).containsExactlyInAnyOrderElementsOf(names);
            assertThat(second.created()).isEmpty();
            assertThat(second.existing()).containsExactlyInAnyOrderElementsOf(names);

            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
            assertThat(descriptions.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(3));

            Map<String, Config> configs = topicConfigs(admin, names);
            for (Topic<?, ?> topic : catalogue.all()) {
                Config actual = configs.get(topic.name());
                assertThat(actual.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                        .as("cleanup.policy of %s", topic.name())
                        .isEqualTo(topic.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
                topic.topicConfigs().forEach((key, value) ->
                        assertThat(actual.get(key).value()).as("%s of %s", key, topic.name()).isEqualTo(value));
            }
        }
    }

    @Test
    @Order(3)
    void shouldFailFastWithAClearMessageWhenTheDataDirIsAFile() throws Exception {
        Path file = Files.writeString(tempDir.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(file))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is not a directory");
    }

    @Test
    @Order(4)
    void shouldTurnAwayASecondBrokerOnADataDirInUse() {
        Set<Long> before = brokerChildren();

        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(broker.dataDir()))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(broker.dataDir().toString())
                .hasMessageContaining("in use by another embedded broker");
        assertThat(brokerChildren()).isEqualTo(before);
        assertThat(broker.isRunning()).isTrue();
    }

    @Test
    @Order(5)
    void shouldQuoteTheBrokerLogAndLeaveNoProcessWhenTheBrokerExitsDuringStart() {
        Set<Long> before = brokerChildren();
        // Only the broker instantiates the authorizer, so formatting succeeds and the broker JVM fails.
        EmbeddedKafkaBroker.Options options = EmbeddedKafkaBroker.Options.defaults()
                .withMaxHeap("256m")
                .withBrokerProperty("authorizer.class.name", "io.kelvin.NoSuchAuthorizer");

        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(tempDir.resolve("bad-authorizer"), options))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("the broker process exited")
                .hasMessageContaining(EmbeddedKafkaBroker.LOG_FILE_NAME)
                .hasMessageContaining("io.kelvin.NoSuchAuthorizer");
        assertThat(brokerChildren()).isEqualTo(before);
    }

    @Test
    @Order(6)
    void shouldKeepTopicsAndDataAcrossAHardRestartOnTheSamePorts() throws Exception {
        String topic = "survives-restart";
        createTopic(topic, 2);
        // Acknowledged by the broker (acks=all), not transactional: what is checked here is that the
        // broker keeps its log across a crash. Whether a transaction committed just before the
        // crash becomes visible after it is the coordinator's recovery, a fault test of its own.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "b-1", "before-kill")).get();
        }
        String bootstrap = broker.bootstrapServers();
        long oldPid = broker.pid();

        broker.kill();
        broker.restart();

        assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get()).contains(topic);
        }
        assertThat(readAll(topic, 1)).extracting(ConsumerRecord::value)
                .as("committed records after a kill -9 and restart; broker log:%n%s", brokerLogTail())
                .containsExactly("before-kill");
    }

    @Test
    @Order(7)
    void shouldLeaveNoProcessAliveWhenStopped() {
        long pid = broker.pid();
        assertThat(pid).isPositive();

        broker.stop();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(brokerChildren()).isEmpty();
        assertThat(broker.isRunning()).isFalse();
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    private static void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    private static Map<String, Config> topicConfigs(Admin admin, List<String> names) throws Exception {
        List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        return admin.describeConfigs(resources).all().get().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    }

    private static KafkaProducer<String, String> transactionalProducer(String transactionalId) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId),
                new StringSerializer(), new StringSerializer());
    }

    /**
     * Reads every partition of {@code topic} from the beginning with read_committed until
     * {@code expected} records arrive or the wait ends. Partitions are assigned, not subscribed:
     * what is checked is the log, not how fast a consumer group forms after a restart.
     */
    private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, WAIT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            // An aborted record would come before the committed one, so stopping at `expected` still shows it.
            while (records.size() < expected && deadline - System.nanoTime() > 0) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The end of the broker's log, so that a failure after a restart says what the broker did. */
    private static String brokerLogTail() {
        try {
            List<String> lines = Files.readAllLines(broker.logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (java.io.IOException e) {
            return "(broker log unreadable: " + e + ")";
        }
    }

    /** Broker and storage-tool JVMs this test JVM has started and that are still alive. */
    private static Set<Long> brokerChildren() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(KafkaChildMain.class.getName())
                        || c.contains("kafka.tools.StorageTool")).orElse(false))
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}
