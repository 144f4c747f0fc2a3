package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.Await;
import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.broker.TopicProvisioner;
import io.kelvin.config.KelvinConfig;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills an optimizer process (SIGKILL, in its own JVM) while closed windows wait in its batch,
 * starts another on the same state directory, and checks that every window was decided exactly
 * once: no decision lost with the dead process's batch, none repeated by the restart, and every
 * command within the building's limits.
 */
class OptimizerCrashIntegrationTest {
    private static final int BUILDINGS = 12;
    private static final int WINDOWS = 6;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(500);
    /** Readings cover every window and pass the last one's grace. */
    private static final int MINUTES = WINDOWS * 10 + 4;
    private static final int KILLS = 3;

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private final List<Process> children = new ArrayList<>();
    private final List<String> logNames = new ArrayList<>();

    @AfterEach
    void stop() {
        children.forEach(Process::destroyForcibly);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldDecideEveryWindowExactlyOnceWhenKilledWithABatchPending() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"));
        Map<String, String> settings = settings("kelvin-optimizer-crash-it");
        settings.put("state.dir", dir.resolve("state").toString());
        KelvinConfig config = KelvinConfig.of(new HashMap<>(settings));
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            TopicCatalogue topics = provisioned(config, registry);
            // A linger far beyond the test: windows leave the batch only when it fills or when a
            // building's next window arrives, so the last round is still pending when the process dies.
            settings.put(KelvinConfig.INFERENCE_BATCH_LINGER_MS_CONFIG, "600000");
            Process first = startOptimizer(settings, "first");
            publishFleet(config, topics);

            String pendingChangelog = settings.get("application.id") + "-" + OptimizerTopology.PENDING_STORE + "-changelog";
            waitFor(() -> liveKeys(config, pendingChangelog) > 0 && count(config, topics.setpoints().name()) > 0,
                    "decisions emitted and windows pending in the first process");
            int pendingAtKill = liveKeys(config, pendingChangelog);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            settings.put(KelvinConfig.INFERENCE_BATCH_LINGER_MS_CONFIG, "100");
            startOptimizer(settings, "second");
            waitFor(() -> count(config, topics.setpoints().name()) >= BUILDINGS * WINDOWS, "every window decided after the restart");

            List<SetpointCommand> commands = read(config, topics.setpoints().name()).stream()
                    .map(r -> topics.setpoints().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
            List<Feedback> feedback = read(config, topics.feedback().name()).stream()
                    .map(r -> topics.feedback().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();

            assertThat(pendingAtKill).as("windows pending when the process was killed").isPositive();
            assertThat(commands).hasSize(BUILDINGS * WINDOWS);
            assertThat(commands.stream().map(SetpointCommand::getDecisionId).distinct().count())
                    .as("distinct decision ids").isEqualTo(BUILDINGS * WINDOWS);
            assertThat(commands).allSatisfy(c -> {
                assertThat(c.getSetpointC()).isBetween(16.0, 26.0);
                assertThat(Math.abs(c.getSetpointC() - c.getPreviousSetpointC())).isLessThanOrEqualTo(0.5 + 1e-9);
                assertThat(c.getValidUntil()).isAfter(c.getWindowEnd());
                assertThat(c.getSource()).as(c.getReason()).isEqualTo(SetpointSource.MODEL);
            });
            Map<String, Long> perBuilding = commands.stream().collect(Collectors.groupingBy(SetpointCommand::getBuildingId, Collectors.counting()));
            assertThat(perBuilding).hasSize(BUILDINGS).allSatisfy((building, n) -> assertThat(n).isEqualTo(WINDOWS));
            assertThat(feedback).hasSize(BUILDINGS * (WINDOWS - 1));
            assertThat(feedback.stream().map(Feedback::getDecisionId).distinct().count()).isEqualTo(BUILDINGS * (WINDOWS - 1));
        }
    }

    /**
     * Two instances share the work; one of them is killed (SIGKILL) three times while readings
     * flow, and restarted on its state directory each time. Checked as Kafka's own exactly-once
     * tests check: once recovered nothing is left pending (each output partition's last stable
     * offset, what read_committed reads up to, equals its log end), every window of every building
     * was decided exactly once, and every command is within the building's limits.
     */
    @Test
    void shouldDecideEveryWindowExactlyOnceWhenOneOfTwoInstancesIsKilledRepeatedly() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"));
        Map<String, String> common = settings("kelvin-optimizer-kill-it");
        common.put(KelvinConfig.INFERENCE_BATCH_LINGER_MS_CONFIG, "1000");
        // The survivor takes over a killed member's partitions after 6 s (the broker's minimum),
        // not the default 45 s.
        common.put("session.timeout.ms", "6000");
        common.put("heartbeat.interval.ms", "1000");
        KelvinConfig config = KelvinConfig.of(new HashMap<>(common));
        Map<String, String> victim = new HashMap<>(common);
        victim.put("state.dir", dir.resolve("state-victim").toString());
        Map<String, String> survivor = new HashMap<>(common);
        survivor.put("state.dir", dir.resolve("state-survivor").toString());
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            TopicCatalogue topics = provisioned(config, registry);
            Instant base = fleetStart();
            publishProfiles(config, topics);
            Process running = startOptimizer(victim, "victim-0");
            startOptimizer(survivor, "survivor");

            int chunk = MINUTES / (KILLS + 1);
            for (int kill = 1; kill <= KILLS; kill++) {
                int decided = count(config, topics.setpoints().name());
                publishMinutes(config, topics, base, (kill - 1) * chunk, kill * chunk);
                waitFor(() -> count(config, topics.setpoints().name()) > decided, "decisions on the readings before kill " + kill);
                running.destroyForcibly().waitFor(30, TimeUnit.SECONDS);  // SIGKILL: no flush, no commit, no leave-group
                running = startOptimizer(victim, "victim-" + kill);
            }
            publishMinutes(config, topics, base, KILLS * chunk, MINUTES);
            waitFor(() -> count(config, topics.setpoints().name()) >= BUILDINGS * WINDOWS
                            && count(config, topics.feedback().name()) >= BUILDINGS * (WINDOWS - 1),
                    "every window decided after " + KILLS + " kills");
            List<String> outputs = List.of(topics.setpoints().name(), topics.feedback().name(), topics.deadLetters().name());
            waitFor(() -> nothingPending(config, outputs), "no transaction left open on " + outputs);

            List<SetpointCommand> commands = read(config, topics.setpoints().name()).stream()
                    .map(r -> topics.setpoints().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
            List<Feedback> feedback = read(config, topics.feedback().name()).stream()
                    .map(r -> topics.feedback().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
            System.out.printf("OptimizerCrashIntegrationTest: %d kills of one of two instances; %d commands for %d windows, "
                            + "%d distinct decision ids, %d feedback records%n", KILLS, commands.size(), BUILDINGS * WINDOWS,
                    commands.stream().map(SetpointCommand::getDecisionId).distinct().count(), feedback.size());

            assertThat(commands).hasSize(BUILDINGS * WINDOWS);
            assertThat(commands.stream().map(SetpointCommand::getDecisionId).distinct().count())
                    .as("distinct decision ids").isEqualTo(BUILDINGS * WINDOWS);
            assertThat(commands).allSatisfy(c -> {
                assertThat(c.getSetpointC()).isBetween(16.0, 26.0);
                assertThat(Math.abs(c.getSetpointC() - c.getPreviousSetpointC())).isLessThanOrEqualTo(0.5 + 1e-9);
                assertThat(c.getValidUntil()).isAfter(c.getWindowEnd());
            });
            Map<String, Long> perBuilding = commands.stream().collect(Collectors.groupingBy(SetpointCommand::getBuildingId, Collectors.counting()));
            assertThat(perBuilding).hasSize(BUILDINGS).allSatisfy((building, n) -> assertThat(n).isEqualTo(WINDOWS));
            assertThat(feedback.stream().map(Feedback::getDecisionId).distinct().count()).isEqualTo(feedback.size());
            assertThat(feedback).hasSize(BUILDINGS * (WINDOWS - 1));
            assertThat(count(config, topics.deadLetters().name())).as("dead letters").isZero();
        }
    }

    /**
     * The rolling upgrade to the compact window encoding, on a real broker. An instance writing
     * its window store in Avro (as every version before the compact encoding did, and as {@code
     * kelvin.window.store.encoding=avro} still does) is stopped mid-window; one with the default
     * takes over on an empty state directory, as a pod that gets a moved task does, so it restores
     * windows written in Avro from the changelog and goes on aggregating them. Every window is
     * decided exactly once from all its readings, nothing is dead-lettered, and the changelog holds
     * both encodings.
     */
    @Test
    void shouldDecideEveryWindowFromAllItsReadingsAcrossTheSwitchToTheCompactWindowEncoding() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"));
        Map<String, String> settings = settings("kelvin-optimizer-encoding-it");
        settings.put(KelvinConfig.INFERENCE_BATCH_LINGER_MS_CONFIG, "1000");
        KelvinConfig config = KelvinConfig.of(new HashMap<>(settings));
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            TopicCatalogue topics = provisioned(config, registry);
            Instant base = fleetStart();
            publishProfiles(config, topics);
            Map<String, String> avro = new HashMap<>(settings);
            avro.put("state.dir", dir.resolve("state-avro").toString());
            avro.put(KelvinConfig.WINDOW_STORE_ENCODING_CONFIG, "avro");
            Process old = startOptimizer(avro, "avro");
            int stopAt = 35; // halfway through the fourth window
            publishMinutes(config, topics, base, 0, stopAt);
            waitFor(() -> count(config, topics.setpoints().name()) >= BUILDINGS * 3, "the first three windows decided in Avro");
            old.destroy(); // SIGTERM: a clean shutdown, as a rolling update stops a pod
            assertThat(old.waitFor(90, TimeUnit.SECONDS)).as("the Avro instance stopped").isTrue();

            Map<String, String> compact = new HashMap<>(settings);
            compact.put("state.dir", dir.resolve("state-compact").toString());
            startOptimizer(compact, "compact");
            publishMinutes(config, topics, base, stopAt, MINUTES);
            waitFor(() -> count(config, topics.setpoints().name()) >= BUILDINGS * WINDOWS
                            && count(config, topics.feedback().name()) >= BUILDINGS * (WINDOWS - 1),
                    "every window decided after the switch");

            List<SetpointCommand> commands = read(config, topics.setpoints().name()).stream()
                    .map(r -> topics.setpoints().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
            List<Feedback> feedback = read(config, topics.feedback().name()).stream()
                    .map(r -> topics.feedback().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
            String windowChangelog = settings.get("application.id") + "-" + OptimizerTopology.WINDOW_STORE + "-changelog";
            Map<Byte, Long> formats = read(config, windowChangelog).stream().filter(r -> r.value() != null)
                    .collect(Collectors.groupingBy(r -> r.value()[0], Collectors.counting()));

            assertThat(formats).as("window changelog records by first byte (0: Avro wire format, 1: compact)").containsOnlyKeys((byte) 0, (byte) 1);
            assertThat(commands).hasSize(BUILDINGS * WINDOWS);
            assertThat(commands.stream().map(SetpointCommand::getDecisionId).distinct().count()).isEqualTo(BUILDINGS * WINDOWS);
            assertThat(commands).allSatisfy(c -> {
                assertThat(c.getSetpointC()).isBetween(16.0, 26.0);
                assertThat(Math.abs(c.getSetpointC() - c.getPreviousSetpointC())).isLessThanOrEqualTo(0.5 + 1e-9);
                assertThat(c.getSource()).as(c.getReason()).isEqualTo(SetpointSource.MODEL);
            });
            assertThat(feedback).hasSize(BUILDINGS * (WINDOWS - 1));
            // Each building's power is constant and sampled every minute, so every window it was
            // observed in has the same energy; a reading lost in the window that straddles the
            // switch would show as a different one.
            Map<String, List<Double>> energy = feedback.stream().collect(Collectors.groupingBy(Feedback::getBuildingId,
                    Collectors.mapping(Feedback::getObservedEnergyKwh, Collectors.toList())));
            assertThat(energy).hasSize(BUILDINGS).allSatisfy((building, kwh) ->
                    assertThat(kwh).as(building).allSatisfy(e -> assertThat(e).isCloseTo(kwh.get(0), within(1e-9)).isPositive()));
            assertThat(count(config, topics.deadLetters().name())).as("dead letters").isZero();
        }
    }

    /**
     * The broker is killed (SIGKILL) mid-run and restarted on its data; the optimizer is left
     * alone. It must recover without an operator: every window decided exactly once, within
     * limits, and no transaction left open.
     */
    @Test
    void shouldRecoverWithoutAnOperatorWhenTheBrokerIsKilledAndRestartedMidRun() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"));
        Map<String, String> settings = settings("kelvin-optimizer-broker-restart-it");
        settings.put("state.dir", dir.resolve("state").toString());
        settings.put(KelvinConfig.INFERENCE_BATCH_LINGER_MS_CONFIG, "1000");
        KelvinConfig config = KelvinConfig.of(new HashMap<>(settings));
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            TopicCatalogue topics = provisioned(config, registry);
            Instant base = fleetStart();
            publishProfiles(config, topics);
            Process optimizer = startOptimizer(settings, "optimizer");
            publishMinutes(config, topics, base, 0, MINUTES / 2);
            waitFor(() -> count(config, topics.setpoints().name()) > 0, "decisions before the broker is killed");

            broker.kill();
            broker.restart();
            publishMinutes(config, topics, base, MINUTES / 2, MINUTES);
            try {
                waitFor(() -> count(config, topics.setpoints().name()) >= BUILDINGS * WINDOWS
                                && count(config, topics.feedback().name()) >= BUILDINGS * (WINDOWS - 1),
                        "every window decided after the broker restart");
            } catch (AssertionError e) {
                List<String> outputs = List.of(topics.setpoints().name(), topics.feedback().name());
                List<String> brokerLog = Files.readAllLines(broker.logFile());
                throw new AssertionError(e.getMessage() + "\n--- committed: " + count(config, topics.setpoints().name())
                        + " setpoints, " + count(config, topics.feedback().name()) + " feedback; open transactions: "
                        + !nothingPending(config, outputs)
                        + "\n--- transactions ---\n" + transactions(config, outputs)
                        + "\n--- optimizer stream threads ---\n" + streamThreads(optimizer)
                        + "\n--- broker ---\n" + String.join("\n", brokerLog.subList(Math.max(0, brokerLog.size() - 60), brokerLog.size())), e);
            }
            List<String> outputs = List.of(topics.setpoints().name(), topics.feedback().name(), topics.deadLetters().name());
            waitFor(() -> nothingPending(config, outputs), "no transaction left open on " + outputs);

            List<SetpointCommand> commands = read(config, topics.setpoints().name()).stream()
                    .map(r -> topics.setpoints().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
            System.out.printf("OptimizerCrashIntegrationTest: broker killed and restarted; %d commands for %d windows, "
                    + "%d distinct decision ids%n", commands.size(), BUILDINGS * WINDOWS,
                    commands.stream().map(SetpointCommand::getDecisionId).distinct().count());
            assertThat(commands).hasSize(BUILDINGS * WINDOWS);
            assertThat(commands.stream().map(SetpointCommand::getDecisionId).distinct().count()).isEqualTo(BUILDINGS * WINDOWS);
            assertThat(commands).allSatisfy(c -> {
                assertThat(c.getSetpointC()).isBetween(16.0, 26.0);
                assertThat(Math.abs(c.getSetpointC() - c.getPreviousSetpointC())).isLessThanOrEqualTo(0.5 + 1e-9);
            });
            assertThat(count(config, topics.feedback().name())).isEqualTo(BUILDINGS * (WINDOWS - 1));
            assertThat(count(config, topics.deadLetters().name())).as("dead letters").isZero();
        }
    }

    /**
     * What the broker knows of the transactions on {@code topics}, for a timeout's report: each
     * partition's open transaction (producer, epoch, first offset) as the partition leader sees
     * it, and each transactional id's state as its coordinator sees it. A partition with an open
     * transaction that no coordinator holds open is a hanging transaction.
     */
    private static String transactions(KelvinConfig config, List<String> topics) {
        StringBuilder out = new StringBuilder();
        try (Admin admin = Admin.create(config.clientSettings())) {
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((topic, description) ->
                    description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
            admin.describeProducers(partitions).all().get(10, TimeUnit.SECONDS).forEach((partition, state) ->
                    state.activeProducers().stream().filter(p -> p.currentTransactionStartOffset().isPresent()).forEach(p ->
                            out.append(partition).append(": open transaction of producer ").append(p.producerId())
                                    .append(" epoch ").append(p.producerEpoch()).append(" from offset ")
                                    .append(p.currentTransactionStartOffset().getAsLong()).append('\n')));
            List<String> ids = admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId).toList();
            admin.describeTransactions(ids).all().get(10, TimeUnit.SECONDS).forEach((id, t) ->
                    out.append(id).append(": ").append(t.state()).append(", producer ").append(t.producerId())
                            .append(" epoch ").append(t.producerEpoch()).append(", partitions ").append(t.topicPartitions()).append('\n'));
        } catch (Exception e) {
            out.append("(cannot describe the transactions: ").append(e).append(")");
        }
        return out.toString();
    }

    /** The stacks of {@code process}'s Kafka Streams threads (jcmd Thread.print), for a timeout's report. */
    private String streamThreads(Process process) {
        Path dump = dir.resolve("optimizer-threads-" + process.pid() + ".txt");
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true).redirectOutput(dump.toFile()).start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                return "(jcmd gave no thread dump within 30 s)";
            }
            StringBuilder out = new StringBuilder();
            boolean inStreamThread = false;
            for (String line : Files.readAllLines(dump)) {
                if (line.startsWith("\"")) {
                    inStreamThread = line.contains("StreamThread");
                }
                if (inStreamThread) {
                    out.append(line).append('\n');
                }
            }
            return out.length() == 0 ? "(no stream thread in " + dump + ")" : out.toString();
        } catch (IOException e) {
            return "(cannot take a thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted while taking a thread dump)";
        }
    }

    /** What every optimizer of these tests runs with (each adds its state.dir): this broker, batches of 5. */
    private Map<String, String> settings(String applicationId) {
        Map<String, String> settings = new HashMap<>();
        settings.put("application.id", applicationId);
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "kafka://" + broker.bootstrapServers() + "/_kelvin_schemas");
        settings.put(KelvinConfig.TOPIC_PARTITIONS_CONFIG, "3");
        settings.put(KelvinConfig.INFERENCE_BATCH_SIZE_CONFIG, "5");
        return settings;
    }

    /**
     * Whether every partition of {@code topics} has no open transaction: its last stable offset
     * (the end a read_committed consumer sees) equals its high watermark.
     */
    private static boolean nothingPending(KelvinConfig config, List<String> topics) {
        Map<String, Object> committed = new HashMap<>(config.clientSettings());
        committed.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Object> uncommitted = new HashMap<>(config.clientSettings());
        uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> lso = new KafkaConsumer<>(committed, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<byte[], byte[]> hw = new KafkaConsumer<>(uncommitted, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                lso.partitionsFor(topic, Duration.ofSeconds(10)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            return lso.endOffsets(partitions, Duration.ofSeconds(10)).equals(hw.endOffsets(partitions, Duration.ofSeconds(10)));
        }
    }

    /** The catalogue over {@code registry}, its topics created on the broker. */
    private static TopicCatalogue provisioned(KelvinConfig config, SchemaRegistryClient registry) throws Exception {
        TopicCatalogue topics = new TopicCatalogue(config, new KelvinSerdes(registry));
        try (Admin admin = Admin.create(config.clientSettings())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).createMissing(topics);
        }
        return topics;
    }

    /** Profiles, then one reading per point per minute for {@code WINDOWS} windows and past their grace. */
    private static void publishFleet(KelvinConfig config, TopicCatalogue topics) throws Exception {
        Instant base = fleetStart();
        publishProfiles(config, topics);
        publishMinutes(config, topics, base, 0, MINUTES);
    }

    /** The first minute of the fleet's readings: recent, so that retention and the broker's clock accept them. */
    private static Instant fleetStart() {
        return Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    }

    private static void publishProfiles(KelvinConfig config, TopicCatalogue topics) throws Exception {
        try (KafkaProducer<String, BuildingProfile> profiles = new KafkaProducer<>(producerProps(config),
                topics.buildings().keySerde().serializer(), topics.buildings().valueSerde().serializer())) {
            for (int b = 0; b < BUILDINGS; b++) {
                profiles.send(new ProducerRecord<>(topics.buildings().name(), "b" + b, OptimizerFixture.office("b" + b))).get();
            }
        }
    }

    /**
     * Minutes {@code from} (inclusive) to {@code to} (exclusive) of every building's four points,
     * each acknowledged by the broker: a reading lost here would leave its window undecided, and
     * the test would wait for it instead of saying what went wrong.
     */
    private static void publishMinutes(KelvinConfig config, TopicCatalogue topics, Instant base, int from, int to) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, SensorReading> readings = new KafkaProducer<>(producerProps(config),
                topics.readings().keySerde().serializer(), topics.readings().valueSerde().serializer())) {
            for (int minute = from; minute < to; minute++) {
                Instant at = base.plus(Duration.ofMinutes(minute));
                for (int b = 0; b < BUILDINGS; b++) {
                    double zone = 19.5 + 0.1 * b + 0.02 * minute;
                    acks.add(send(readings, topics, OptimizerFixture.reading("b" + b, Metric.ZONE_TEMPERATURE_C, zone, at)));
                    acks.add(send(readings, topics, OptimizerFixture.reading("b" + b, Metric.OUTDOOR_TEMPERATURE_C, 3 + 0.05 * minute, at)));
                    acks.add(send(readings, topics, OptimizerFixture.reading("b" + b, Metric.HVAC_POWER_KW, 20 + b, at)));
                    acks.add(send(readings, topics, OptimizerFixture.reading("b" + b, Metric.OCCUPANCY_COUNT, 40 + b, at)));
                }
            }
            // Returns once every send has succeeded or failed (at the latest after delivery.timeout.ms).
            readings.flush();
        }
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(0, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("A reading of minutes " + from + "-" + to + " was not acknowledged: " + e.getCause(), e.getCause());
            }
        }
    }

    private static Map<String, Object> producerProps(KelvinConfig config) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }

    private static Future<RecordMetadata> send(KafkaProducer<String, SensorReading> producer, TopicCatalogue topics, SensorReading r) {
        return producer.send(new ProducerRecord<>(topics.readings().name(), null, r.getObservedAt().toEpochMilli(), r.getBuildingId(), r));
    }

    /** {@code kelvin optimizer} in its own JVM, so that it can be killed as a crash would kill it. */
    private Process startOptimizer(Map<String, String> settings, String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", absoluteClassPath(), "io.kelvin.cli.KelvinCli", "optimizer"));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        // A free port for the operations endpoint: two optimizers (and other test JVMs) share this host.
        command.add("-Dkelvin.http.port=0");
        Path log = dir.resolve(name + ".log");
        logNames.add(name);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile())).start();
        children.add(p);
        return p;
    }

    private static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    }

    private void waitFor(java.util.function.BooleanSupplier condition, String what) throws Exception {
        // Each check opens consumers; checking twice a second leaves the CPU to the processes under test.
        if (Await.until(WAIT, POLL, condition::getAsBoolean, Boolean::booleanValue)) {
            return;
        }
        StringBuilder logs = new StringBuilder();
        for (String name : logNames) {
            Path log = dir.resolve(name + ".log");
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                logs.append("\n--- ").append(name).append(" ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
        }
        throw new AssertionError("Timed out after " + WAIT + " waiting for: " + what + logs);
    }

    private static int count(KelvinConfig config, String topic) {
        return read(config, topic).size();
    }

    /** Keys whose latest committed value in {@code topic} is not a tombstone. */
    private static int liveKeys(KelvinConfig config, String topic) {
        Map<String, Boolean> live = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : read(config, topic)) {
            live.put(new StringDeserializer().deserialize(topic, r.key()), r.value() != null);
        }
        return (int) live.values().stream().filter(Predicate.isEqual(true)).count();
    }

    /** Every committed record of {@code topic} (empty when it does not exist yet). */
    private static List<ConsumerRecord<byte[], byte[]>> read(KelvinConfig config, String topic) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.listTopics(Duration.ofSeconds(10)).getOrDefault(topic, List.of()).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return out;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
