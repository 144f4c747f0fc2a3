package io.kelvin.demo;

import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.broker.TopicProvisioner;
import io.kelvin.config.KelvinConfig;
import io.kelvin.errors.DeadLetterReason;
import io.kelvin.optimizer.OptimizerMetrics;
import io.kelvin.optimizer.OptimizerService;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kelvin's embedded default: a real single-node broker in a child JVM, Kelvin's topics and
 * registry on it, the optimizer, a fleet of simple simulated buildings publishing readings in
 * accelerated time, and a BMS applying the setpoints it reads back (read_committed). Prints
 * progress until the duration passes, the simulated clock would overtake the wall clock, or the
 * user stops it.
 */
public final class DemoRunner {

    /** What the demo is asked to do. */
    public record Options(int buildings, double days, double speed, long seed, Duration duration,
                          Path dataDir, double glitchRate, int partitions) {}

    private final Options options;
    private final PrintStream out;
    private final Map<String, DemoBuilding> fleet = new ConcurrentHashMap<>();
    private final AtomicLong readingsSent = new AtomicLong();
    private final AtomicLong glitchesSent = new AtomicLong();
    private final AtomicLong commandsReceived = new AtomicLong();
    private final Set<String> decisionIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong duplicates = new AtomicLong();
    private final Map<String, SetpointCommand> latest = new ConcurrentHashMap<>();

    public DemoRunner(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo; {@code stop} is polled to end early (Ctrl-C). */
    public void run(BooleanSupplier stop) throws Exception {
        deleteRecursively(options.dataDir());
        out.printf("Starting a Kafka broker (KRaft, child JVM) in %s ...%n", options.dataDir());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options.dataDir().resolve("broker"))) {
            String bootstrap = broker.bootstrapServers();
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", bootstrap);
            settings.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "kafka://" + bootstrap + "/_kelvin_schemas");
            settings.put(KelvinConfig.TOPIC_PARTITIONS_CONFIG, String.valueOf(options.partitions()));
            settings.put(StreamsConfig.STATE_DIR_CONFIG, options.dataDir().resolve("state").toString());
            KelvinConfig config = KelvinConfig.load("optimizer", null, Map.of(), settings);
            out.printf("Broker at %s; schema registry %s%n", bootstrap, settings.get(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG));
            out.printf("Watch from a second terminal:  ./kelvin tail --bootstrap-servers %s --schema-registry-url %s --topic setpoints%n",
                    bootstrap, settings.get(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG));
            run(config, stop);
        }
    }

    private void run(KelvinConfig config, BooleanSupplier stop) throws Exception {
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            KelvinSerdes serdes = new KelvinSerdes(registry);
            TopicCatalogue topics = new TopicCatalogue(config, serdes);
            try (Admin admin = Admin.create(config.clientSettings())) {
                new TopicProvisioner(admin, Duration.ofSeconds(30)).createMissing(topics);
            }
            Random random = new Random(options.seed());
            for (int i = 1; i <= options.buildings(); i++) {
                DemoBuilding b = new DemoBuilding(String.format("building-%03d", i), random);
                fleet.put(b.id(), b);
            }
            try (KafkaProducer<String, SensorReading> readings = producer(config, topics.readings().valueSerde().serializer());
                 KafkaProducer<String, BuildingProfile> profiles = producer(config, topics.buildings().valueSerde().serializer())) {
                for (DemoBuilding b : fleet.values()) {
                    profiles.send(new ProducerRecord<>(topics.buildings().name(), b.id(), b.profile()));
                }
                profiles.flush();
                out.printf("Published %d building profiles; starting the optimizer ...%n", fleet.size());

                SimpleMeterRegistry meters = new SimpleMeterRegistry();
                try (OptimizerService optimizer = OptimizerService.start(config, meters, Clock.systemUTC())) {
                    if (!optimizer.awaitRunning(Duration.ofSeconds(60))) {
                        throw new IllegalStateException("Optimizer did not reach RUNNING within 60 s (state " + optimizer.state() + ")");
                    }
                    AtomicBoolean running = new AtomicBoolean(true);
                    Thread bms = new Thread(() -> consumeSetpoints(config, topics, running), "kelvin-demo-bms");
                    bms.start();
                    try {
                        generate(topics, readings, optimizer, stop);
                    } finally {
                        running.set(false);
                        bms.join(10_000);
                    }
                    summary(optimizer);
                }
            }
        }
    }

    private void generate(TopicCatalogue topics, KafkaProducer<String, SensorReading> producer, OptimizerService optimizer,
                          BooleanSupplier stop) throws InterruptedException {
        // Start in the past and never overtake the wall clock: the broker rejects records
        // more than an hour ahead of it.
        Instant simStart = Instant.now().minus(Duration.ofMinutes((long) (options.days() * 1440))).truncatedTo(ChronoUnit.HOURS);
        long wallStart = System.nanoTime();
        long nextReport = wallStart;
        Random glitches = new Random(options.seed() ^ 0x5DEECE66DL);
        List<DemoBuilding> buildings = new ArrayList<>(fleet.values());
        buildings.sort(Comparator.comparing(DemoBuilding::id));
        for (long minute = 0; ; minute++) {
            Instant sim = simStart.plus(Duration.ofMinutes(minute));
            long elapsedNanos = System.nanoTime() - wallStart;
            if (stop.getAsBoolean() || elapsedNanos > options.duration().toNanos() || sim.isAfter(Instant.now().minusSeconds(60))) {
                break;
            }
            long dueNanos = (long) (minute * 60e9 / options.speed());
            if (dueNanos > elapsedNanos) {
                Thread.sleep((dueNanos - elapsedNanos) / 1_000_000, (int) ((dueNanos - elapsedNanos) % 1_000_000));
            }
            double outdoor = DemoBuilding.outdoorC(sim);
            for (DemoBuilding b : buildings) {
                for (SensorReading r : b.step(sim, outdoor)) {
                    if (glitches.nextDouble() < options.glitchRate()) {
                        r.setValue(Double.NaN); // a sensor glitch: Kelvin must dead-letter it, not crash
                        glitchesSent.incrementAndGet();
                    }
                    producer.send(new ProducerRecord<>(topics.readings().name(), null, r.getObservedAt().toEpochMilli(), b.id(), r));
                    readingsSent.incrementAndGet();
                }
            }
            if (System.nanoTime() >= nextReport) {
                progress(sim, optimizer, System.nanoTime() - wallStart);
                nextReport = System.nanoTime() + 5_000_000_000L;
            }
        }
        producer.flush();
    }

    private void consumeSetpoints(KelvinConfig config, TopicCatalogue topics, AtomicBoolean running) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, SetpointCommand> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                topics.setpoints().valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.setpoints().name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<String, SetpointCommand> record : consumer.poll(Duration.ofMillis(200))) {
                    SetpointCommand c = record.value();
                    commandsReceived.incrementAndGet();
                    if (!decisionIds.add(c.getDecisionId())) {
                        duplicates.incrementAndGet();
                    }
                    DemoBuilding b = fleet.get(c.getBuildingId());
                    if (b != null) {
                        synchronized (b) {
                            b.offer(c);
                        }
                    }
                    latest.put(c.getBuildingId(), c);
                }
            }
        } catch (WakeupException ignored) {
            // closing
        }
    }

    private void progress(Instant sim, OptimizerService optimizer, long elapsedNanos) {
        OptimizerMetrics m = optimizer.metrics();
        out.printf("[%4ds] simulated %s | readings %,d | windows closed %,.0f | setpoints model %,.0f fallback %,.0f | feedback %,.0f | dead letters %,.0f | BMS received %,d%n",
                elapsedNanos / 1_000_000_000L, sim.truncatedTo(ChronoUnit.MINUTES), readingsSent.get(), m.windowsClosed(),
                m.setpoints(SetpointSource.MODEL), m.setpoints(SetpointSource.FALLBACK), m.feedbackCount(),
                deadLetterTotal(optimizer), commandsReceived.get());
        latest.values().stream().sorted(Comparator.comparing(SetpointCommand::getBuildingId)).limit(3).forEach(c ->
                out.printf("         %s -> %.2f °C (%s%s) valid until %s%n", c.getBuildingId(), c.getSetpointC(), c.getSource(),
                        c.getSource() == SetpointSource.MODEL ? " " + c.getModelVersion() : ", " + c.getReason(),
                        c.getValidUntil().truncatedTo(ChronoUnit.MINUTES)));
    }

    private void summary(OptimizerService optimizer) {
        OptimizerMetrics m = optimizer.metrics();
        out.printf("%nDone. readings sent %,d (of them %,d glitched on purpose) | windows closed %,.0f | setpoints model %,.0f fallback %,.0f"
                        + " | feedback %,.0f | dead letters %,.0f (non-finite-value %,.0f) | BMS received %,d, duplicates %,d%n",
                readingsSent.get(), glitchesSent.get(), m.windowsClosed(), m.setpoints(SetpointSource.MODEL),
                m.setpoints(SetpointSource.FALLBACK), m.feedbackCount(), deadLetterTotal(optimizer),
                optimizer.deadLetters().count(DeadLetterReason.NON_FINITE_VALUE), commandsReceived.get(), duplicates.get());
    }

    private static double deadLetterTotal(OptimizerService optimizer) {
        double total = 0;
        for (DeadLetterReason r : DeadLetterReason.values()) {
            total += optimizer.deadLetters().count(r);
        }
        return total;
    }

    private static <V> KafkaProducer<String, V> producer(KelvinConfig config, org.apache.kafka.common.serialization.Serializer<V> values) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), values);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

}
