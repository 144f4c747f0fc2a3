package io.kelvin.cli;

import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.broker.TopicProvisioner;
import io.kelvin.config.KelvinConfig;
import io.kelvin.config.StreamsRuntime;
import io.kelvin.optimizer.OptimizerMetrics;
import io.kelvin.optimizer.OptimizerService;
import io.kelvin.optimizer.OptimizerTopology;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.sim.FleetGenerator;
import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.state.WindowStore;

/**
 * One run of {@code kelvin bench pipeline} for one processing guarantee: a fresh embedded broker,
 * the readings preloaded, then side by side over the same topic (a) a plain consumer, (b) a
 * minimal Kafka Streams windowed count, (c) Kelvin's optimizer ({@link OptimizerService}, the
 * production configuration and topology), and the live close of the last window for latency.
 *
 * <p>Each of (b) and (c) is timed from {@code start()} (start-up and rebalance included) until
 * its stream thread has processed every preloaded reading and every window the backlog closes
 * has been emitted (b) or decided (c). The last window of each building stays open until the
 * live phase sends one closing reading per partition, dated past that window's end plus grace:
 * the first burst. Each later burst first sends one more window of readings for every building
 * live, then closes it the same way, so it measures a JVM whose code the earlier work compiled,
 * as in a deployment that has been closing a window every 10 minutes.
 */
final class PipelineBenchmark {
    static final String BASELINE_OUTPUT = "kelvin.bench.window-counts";
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration LIVE_TIMEOUT = Duration.ofMinutes(2);
    private static final String PROCESS_TOTAL = "kafka.stream.thread.process.total";
    private static final String COMMIT_TOTAL = "kafka.stream.thread.commit.total";

    private final PipelineOptions options;
    private final String guarantee;
    private final PrintWriter out;
    private final ResourceSampler sampler = new ResourceSampler();

    /** The run's settings: sizes, where data goes, the guarantee. */
    record PipelineOptions(int buildings, int points, int minutes, int partitions, Path dataDir, long seed,
                           Map<String, String> overrides, LiveClose live, int bursts) {}

    /**
     * How the live phase closes the last windows. {@code STEADY} does what production sees: readings
     * of the next window arrive first (one per partition dated at the last window's end, which
     * closes nothing but makes Kafka Streams open the next window's store segment), and once the
     * optimizer has processed and committed them, the closing readings follow. {@code JUMP} sends
     * only the closing readings, so their commit also opens the new segment and drops expired ones
     * (RocksDB open/close per task), inside the measured latency: the method of the earlier figures.
     */
    enum LiveClose { STEADY, JUMP }

    PipelineBenchmark(PipelineOptions options, String guarantee, PrintWriter out) {
        this.options = options;
        this.guarantee = guarantee;
        this.out = out;
    }

    PipelineReport run() throws Exception {
        Path dir = options.dataDir().resolve(guarantee);
        deleteRecursively(dir);
        log("starting the embedded broker in %s", dir);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"));
             ResourceSampler ignored = sampler.start(broker.pid())) {
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", broker.bootstrapServers());
            settings.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "kafka://" + broker.bootstrapServers() + "/_kelvin_schemas");
            settings.put(KelvinConfig.TOPIC_PARTITIONS_CONFIG, String.valueOf(options.partitions()));
            settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
            settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
            settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "kelvin-bench-optimizer");
            settings.putAll(options.overrides()); // what-if settings, applied to (b) and (c) alike
            KelvinConfig config = KelvinConfig.load("optimizer", null, Map.of(), settings);
            try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
                TopicCatalogue topics = new TopicCatalogue(config, new KelvinSerdes(registry));
                try (Admin admin = Admin.create(config.clientSettings())) {
                    new TopicProvisioner(admin, Duration.ofSeconds(60)).createMissing(topics);
                    admin.createTopics(List.of(new NewTopic(BASELINE_OUTPUT, options.partitions(), (short) 1))).all().get();
                }
                return measure(config, topics);
            }
        }
    }

    private PipelineReport measure(KelvinConfig config, TopicCatalogue topics) throws Exception {
        long windowMs = config.getLong(KelvinConfig.WINDOW_SIZE_MS_CONFIG);
        long graceMs = config.getLong(KelvinConfig.WINDOW_GRACE_MS_CONFIG);
        if (windowMs % 60_000 != 0 || graceMs % 60_000 != 0) {
            throw new IllegalArgumentException("the bench needs whole-minute windows and grace, got " + windowMs + " ms and " + graceMs + " ms");
        }
        PipelineReport.Sizes sizes = PipelineReport.Sizes.of(options.buildings(), options.points(), options.minutes(), options.partitions(),
                (int) (windowMs / 60_000), (int) (graceMs / 60_000));
        // Recent past, aligned to a window, far enough back that the closing readings too lie before now.
        long now = System.currentTimeMillis();
        long base = now - Math.floorMod(now, windowMs) - (sizes.windowsPerBuilding() + options.bursts() - 1) * windowMs
                - Duration.ofMinutes(30).toMillis();
        ReadingGenerator readings = new ReadingGenerator(options.points(), options.seed());

        long t0 = System.nanoTime();
        log("preloading %,d building profiles and %,d readings ...", options.buildings(), sizes.readings());
        String[] buildingIds = preload(config, topics, readings, base);
        sizes = sizes.withPreloadSeconds((System.nanoTime() - t0) / 1e9);
        log("preloaded in %.1f s", sizes.preloadSeconds());

        PipelineReport.Phase raw = rawConsumer(config, topics.readings().name(), sizes.readings());
        log("(a) raw consumer: %,.0f readings/s", raw.recordsPerSecond());
        PipelineReport.Phase baseline = windowedCount(config, topics.readings().name(), sizes, windowMs, graceMs);
        log("(b) windowed count: %,.0f readings/s", baseline.recordsPerSecond());
        return optimizer(config, sizes, topics, new Fleet(buildingIds, readings, base, windowMs, graceMs), raw, baseline);
    }

    /** The buildings, how their readings are made, and the time the first window starts. */
    private record Fleet(String[] buildingIds, ReadingGenerator readings, long base, long windowMs, long graceMs) {
        long windowEnd(long window) {
            return base + (window + 1) * windowMs;
        }
    }

    /**
     * Profiles first (so the optimizer's global table has them at start), then readings minute by
     * minute; returns the building ids.
     */
    private String[] preload(KelvinConfig config, TopicCatalogue topics, ReadingGenerator readings, long base) throws Exception {
        Topic<String, io.kelvin.schema.BuildingProfile> buildings = topics.buildings();
        FleetGenerator fleet = new FleetGenerator(options.seed());
        String[] ids = new String[options.buildings()];
        try (KafkaProducer<byte[], byte[]> producer = bulkProducer(config)) {
            for (int b = 0; b < options.buildings(); b++) {
                var profile = fleet.building(b + 1).profile();
                ids[b] = profile.getBuildingId();
                producer.send(new ProducerRecord<>(buildings.name(), ids[b].getBytes(StandardCharsets.UTF_8),
                        buildings.valueSerde().serializer().serialize(buildings.name(), profile)));
            }
            producer.flush();
            sendReadings(producer, topics, ids, readings, base, 0, options.minutes());
        }
        return ids;
    }

    private static KafkaProducer<byte[], byte[]> bulkProducer(KelvinConfig config) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Every building's readings of minutes {@code from} (inclusive) to {@code to} after {@code base}, minute by minute; returns how many. */
    private long sendReadings(KafkaProducer<byte[], byte[]> producer, TopicCatalogue topics, String[] ids, ReadingGenerator readings,
                              long base, int from, int to) {
        Topic<String, SensorReading> readingTopic = topics.readings();
        var serializer = readingTopic.valueSerde().serializer();
        byte[][] keys = new byte[ids.length][];
        for (int b = 0; b < ids.length; b++) {
            keys[b] = ids[b].getBytes(StandardCharsets.UTF_8);
        }
        for (int minute = from; minute < to; minute++) {
            long at = base + minute * 60_000L;
            for (int b = 0; b < ids.length; b++) {
                for (int p = 0; p < options.points(); p++) {
                    SensorReading r = readings.reading(ids[b], p, at, minute);
                    producer.send(new ProducerRecord<>(readingTopic.name(), null, at, keys[b], serializer.serialize(readingTopic.name(), r)));
                }
            }
        }
        producer.flush();
        return (long) (to - from) * ids.length * options.points();
    }

    /** (a) The ceiling: a plain consumer reading every preloaded record as bytes. */
    private PipelineReport.Phase rawConsumer(KelvinConfig config, String topic, long expected) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        PhaseClock phase = new PhaseClock("(a) raw consumer (bytes)");
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
            while (records < expected && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                records += batch.count();
            }
        }
        return phase.end(records, 0);
    }

    /** (b) The baseline: count per building per window, emitted on window close, on the optimizer's own Kafka settings. */
    private PipelineReport.Phase windowedCount(KelvinConfig config, String topic, PipelineReport.Sizes sizes, long windowMs, long graceMs)
            throws InterruptedException {
        AtomicLong emitted = new AtomicLong();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("bench-readings-source"))
                .groupByKey(Grouped.<String, byte[]>as("bench-by-building"))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(windowMs), Duration.ofMillis(graceMs)))
                .emitStrategy(EmitStrategy.onWindowClose())
                .count(Named.as("bench-window-count"), Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("bench-window-counts")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream(Named.as("bench-closed-windows"))
                .peek((window, count) -> emitted.incrementAndGet(), Named.as("bench-count-emitted"))
                .to(BASELINE_OUTPUT, Produced.with(WindowedSerdes.timeWindowedSerdeFrom(String.class, windowMs), Serdes.Long())
                        .withName("bench-window-counts-sink"));
        Topology topology = builder.build();
        Properties props = new Properties();
        props.putAll(config.kafkaSettings());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kelvin-bench-window-count");
        // Same rules as the optimizer: check for closed windows on every record, no task idling.
        OptimizerTopology.applyWindowing(props);
        MeterRegistry meters = new SimpleMeterRegistry();
        PhaseClock phase = new PhaseClock("(b) windowed count (Kafka Streams)");
        try (StreamsRuntime streams = new StreamsRuntime("Bench window count", topology, props, meters, true)) {
            streams.start();
            double startup = awaitRunning(streams::awaitRunning, phase);
            awaitDone(() -> processed(meters), sizes.readings(), emitted::get, sizes.backlogWindows(), sizes.buildings(), "windowed count", phase);
            return phase.end(processed(meters), startup);
        }
    }

    /** (c) Kelvin's optimizer as it runs in production, then the live bursts. */
    private PipelineReport optimizer(KelvinConfig config, PipelineReport.Sizes sizes, TopicCatalogue topics, Fleet fleet,
                                     PipelineReport.Phase raw, PipelineReport.Phase baseline) throws Exception {
        long heapBefore = heapAfterGc();
        MeterRegistry meters = new SimpleMeterRegistry();
        PhaseClock phase = new PhaseClock("(c) Kelvin optimizer");
        PipelineReport.Phase measured;
        List<PipelineReport.Latency> bursts = new ArrayList<>();
        PipelineReport.Decisions decisions;
        long heapGrowth;
        try (OptimizerService optimizer = OptimizerService.start(config, meters, Clock.systemUTC())) {
            double startup = awaitRunning(optimizer::awaitRunning, phase);
            OptimizerMetrics m = optimizer.metrics();
            LongSupplier decided = () -> decided(m);
            awaitDone(() -> processed(meters), sizes.readings(), decided, sizes.backlogWindows(), sizes.buildings(), "optimizer", phase);
            measured = phase.end(processed(meters), startup);
            log("(c) optimizer: %,.0f readings/s; closing the last windows live ...", measured.recordsPerSecond());
            long last = sizes.windowsPerBuilding() - 1;
            bursts.add(burst(config, topics, fleet, sizes.backlogWindowsPerBuilding(), last, 0, m, meters));
            for (int burst = 2; burst <= options.bursts(); burst++) {
                last++;
                sendLiveWindow(config, topics, fleet, last, meters);
                // The previous burst's closing readings lie in this window: their keys' windows close too (skipped, no profile).
                bursts.add(burst(config, topics, fleet, last, last, options.partitions(), m, meters));
            }
            long expected = sizes.allWindows() + (options.bursts() - 1L) * (sizes.buildings() + options.partitions());
            decisions = new PipelineReport.Decisions(expected, Math.round(m.windowsClosed()),
                    Math.round(m.setpoints(SetpointSource.MODEL)), Math.round(m.setpoints(SetpointSource.FALLBACK)), skipped(m));
            heapGrowth = heapAfterGc() - heapBefore;
        }
        Path state = Path.of(config.kafkaSettings().get(StreamsConfig.STATE_DIR_CONFIG).toString()).resolve(config.applicationId());
        PipelineReport.Footprint footprint = new PipelineReport.Footprint(directoryBytes(state), heapGrowth, measured.peakRssBytes());
        return new PipelineReport(guarantee, sizes, raw, baseline, measured, decisions, bursts, footprint);
    }

    /**
     * Closes every building's windows {@code first} to {@code last} (indexes from the first
     * preloaded one) at once, {@code closers} windows of the closing keys among them, and measures
     * the setpoints' latency.
     */
    private PipelineReport.Latency burst(KelvinConfig config, TopicCatalogue topics, Fleet fleet, long first, long last, int closers,
                                         OptimizerMetrics m, MeterRegistry meters) throws Exception {
        if (options.live() == LiveClose.STEADY) {
            openNextWindow(config, topics, fleet.readings(), fleet.windowEnd(last), meters);
        }
        int setpoints = Math.toIntExact((last - first + 1) * fleet.buildingIds().length);
        return closeLive(config, topics, fleet.readings(), fleet.windowEnd(last) + fleet.graceMs(), fleet.windowEnd(first),
                setpoints, setpoints + closers, m);
    }

    /** Sends every building's readings of window {@code window} live and waits until the optimizer has processed them. */
    private void sendLiveWindow(KelvinConfig config, TopicCatalogue topics, Fleet fleet, long window, MeterRegistry meters)
            throws InterruptedException {
        long processedBefore = processed(meters);
        int minutes = Math.toIntExact(fleet.windowMs() / 60_000);
        long start = System.nanoTime();
        long sent;
        try (KafkaProducer<byte[], byte[]> producer = bulkProducer(config)) {
            sent = sendReadings(producer, topics, fleet.buildingIds(), fleet.readings(), fleet.base(),
                    Math.toIntExact(window * minutes), Math.toIntExact((window + 1) * minutes));
        }
        if (!awaitProcessed(meters, processedBefore + sent, System.nanoTime() + PHASE_TIMEOUT.toNanos())) {
            throw new IllegalStateException("the optimizer did not process a live window of " + sent + " readings within "
                    + PHASE_TIMEOUT.toMinutes() + " min");
        }
        log("live window: %,d readings sent and processed in %.1f s", sent, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Sends one reading per partition dated {@code at} (the start of the window after the last),
     * which closes no window, and waits until the optimizer has processed them and committed once
     * more, so that the next window's store segment exists before the closing readings come.
     */
    private void openNextWindow(KelvinConfig config, TopicCatalogue topics, ReadingGenerator readings, long at, MeterRegistry meters)
            throws InterruptedException {
        long processedBefore = processed(meters);
        try (KafkaProducer<byte[], byte[]> producer = liveProducer(config)) {
            closerRecords(topics, readings, at).forEach(producer::send);
            producer.flush();
        }
        long deadline = System.nanoTime() + LIVE_TIMEOUT.toNanos();
        awaitProcessed(meters, processedBefore + options.partitions(), deadline);
        long commits = counter(meters, COMMIT_TOTAL);
        while (counter(meters, COMMIT_TOTAL) <= commits && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        log("next window opened: %,d readings processed, %,d commits since", processed(meters) - processedBefore,
                counter(meters, COMMIT_TOTAL) - commits);
    }

    /** A producer that sends each record at once, for the few readings that steer a burst. */
    private static KafkaProducer<byte[], byte[]> liveProducer(KelvinConfig config) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** One reading dated {@code at} per partition, under a key of its own (no profile), serialized ahead of sending. */
    private List<ProducerRecord<byte[], byte[]>> closerRecords(TopicCatalogue topics, ReadingGenerator readings, long at) {
        String readingTopic = topics.readings().name();
        var serializer = topics.readings().valueSerde().serializer();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(options.partitions());
        for (int p = 0; p < options.partitions(); p++) {
            String key = "bench-closer-" + p;
            records.add(new ProducerRecord<>(readingTopic, p, at, key.getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(readingTopic, readings.closer(key, at))));
        }
        return records;
    }

    /** Waits until the optimizer has processed {@code records} in all; false when {@code deadline} (nanoTime) came first. */
    private static boolean awaitProcessed(MeterRegistry meters, long records, long deadline) throws InterruptedException {
        while (processed(meters) < records) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20); // advanced by the optimizer's stream thread
        }
        return true;
    }

    /**
     * Sends one reading per partition dated {@code closeAt} (past the last window's end plus
     * grace), and measures, per setpoint of a window ending at or after {@code firstLiveWindowEnd}
     * that a read_committed consumer then reads, the time from the send to its arrival; meanwhile
     * a sampler notes when the optimizer's counters show the burst's {@code closing} windows
     * closed and decided.
     */
    private PipelineReport.Latency closeLive(KelvinConfig config, TopicCatalogue topics, ReadingGenerator readings, long closeAt,
                                             long firstLiveWindowEnd, int expected, int closing, OptimizerMetrics m) throws Exception {
        Map<String, Object> consumerProps = new HashMap<>(config.clientSettings());
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        String setpoints = topics.setpoints().name();
        List<Long> latencies = new ArrayList<>(expected);
        BurstTimeline timeline = null;
        long cpuBefore = -1;
        long cpuAfter = -1;
        long jitBefore = -1;
        long jitAfter = -1;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = liveProducer(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(setpoints).stream()
                    .map(p -> new TopicPartition(setpoints, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end now, before anything new is written
            var setpointSerde = topics.setpoints().valueSerde().deserializer();
            List<ProducerRecord<byte[], byte[]>> closers = closerRecords(topics, readings, closeAt);
            long closedBefore = Math.round(m.windowsClosed());
            long decidedBefore = decided(m);
            cpuBefore = streamThreadCpuNanos();
            jitBefore = compilationNanos();
            long sent = System.nanoTime();
            timeline = BurstTimeline.start(sent, () -> Math.round(m.windowsClosed()) > closedBefore,
                    () -> Math.round(m.windowsClosed()) >= closedBefore + closing, () -> decided(m) >= decidedBefore + closing);
            log("closing readings sent at %s", Instant.now());
            closers.forEach(producer::send);
            producer.flush();
            long deadline = sent + LIVE_TIMEOUT.toNanos();
            while (latencies.size() < expected && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(20));
                long arrived = System.nanoTime();
                for (var record : polled) {
                    // A backlog decision whose transaction committed only now is not part of the live burst.
                    SetpointCommand command = setpointSerde.deserialize(setpoints, record.value());
                    if (command.getWindowEnd().toEpochMilli() >= firstLiveWindowEnd) {
                        latencies.add(arrived - sent);
                    }
                }
            }
            cpuAfter = streamThreadCpuNanos();
            jitAfter = compilationNanos();
            log("live burst done at %s", Instant.now());
        } finally {
            if (timeline != null) {
                timeline.stop();
            }
        }
        if (latencies.size() < expected) {
            log("only %,d of %,d live setpoints arrived within %d s", latencies.size(), expected, LIVE_TIMEOUT.toSeconds());
        }
        return PipelineReport.Latency.of(latencies.stream().mapToLong(Long::longValue).toArray(),
                timeline.firstClosed(), timeline.allClosed(), timeline.allDecided(),
                cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore, jitBefore < 0 || jitAfter < 0 ? -1 : jitAfter - jitBefore);
    }

    /** Time this JVM's JIT compiler threads have spent compiling, or -1 when not measurable. */
    private static long compilationNanos() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit == null || !jit.isCompilationTimeMonitoringSupported() ? -1 : jit.getTotalCompilationTime() * 1_000_000L;
    }

    /**
     * Notes, every millisecond on its own daemon thread, when each of three conditions first holds,
     * in nanoseconds after {@code start}: the optimizer's counters are advanced by its stream
     * thread, so this tells how much of the burst's latency is poll and emit, deciding, and commit.
     */
    private static final class BurstTimeline {
        private final long start;
        private final AtomicLong firstClosed = new AtomicLong(-1);
        private final AtomicLong allClosed = new AtomicLong(-1);
        private final AtomicLong allDecided = new AtomicLong(-1);
        private final Thread thread;

        private BurstTimeline(long start, BooleanSupplier anyClosed, BooleanSupplier everyClosed,
                              BooleanSupplier everyDecided) {
            this.start = start;
            this.thread = new Thread(() -> {
                while (allDecided.get() < 0 && !Thread.currentThread().isInterrupted()) {
                    note(firstClosed, anyClosed);
                    note(allClosed, everyClosed);
                    note(allDecided, everyDecided);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-burst-timeline");
            thread.setDaemon(true);
        }

        static BurstTimeline start(long start, BooleanSupplier anyClosed, BooleanSupplier everyClosed,
                                   BooleanSupplier everyDecided) {
            BurstTimeline t = new BurstTimeline(start, anyClosed, everyClosed, everyDecided);
            t.thread.start();
            return t;
        }

        private void note(AtomicLong at, BooleanSupplier condition) {
            if (at.get() < 0 && condition.getAsBoolean()) {
                at.set(System.nanoTime() - start);
            }
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }

        long firstClosed() {
            return firstClosed.get();
        }

        long allClosed() {
            return allClosed.get();
        }

        long allDecided() {
            return allDecided.get();
        }
    }

    /** CPU time of this JVM's Kafka Streams stream threads (not their producers' network threads), or -1 when not measurable. */
    private static long streamThreadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            return -1;
        }
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("-StreamThread-") && !info.getThreadName().startsWith("kafka-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static long decided(OptimizerMetrics m) {
        return Math.round(m.setpoints(SetpointSource.MODEL) + m.setpoints(SetpointSource.FALLBACK)) + skipped(m);
    }

    private static long skipped(OptimizerMetrics m) {
        return Math.round(m.skippedCount("no-profile") + m.skippedCount("invalid-profile"));
    }

    /** Records processed by the stream threads, from the client metrics Kelvin binds to Micrometer. */
    static long processed(MeterRegistry meters) {
        return counter(meters, PROCESS_TOTAL);
    }

    /** The sum over the stream threads of one of their cumulative client metrics. */
    private static long counter(MeterRegistry meters, String name) {
        double total = 0;
        for (Meter meter : meters.getMeters()) {
            if (name.equals(meter.getId().getName())) {
                for (Measurement measurement : meter.measure()) {
                    if (Double.isFinite(measurement.getValue())) {
                        total += measurement.getValue();
                    }
                }
            }
        }
        return Math.round(total);
    }

    private interface AwaitRunning {
        boolean await(Duration timeout) throws InterruptedException;
    }

    private double awaitRunning(AwaitRunning running, PhaseClock phase) throws InterruptedException {
        if (!running.await(Duration.ofSeconds(120))) {
            throw new IllegalStateException(phase.name + " did not reach RUNNING within 120 s");
        }
        return phase.elapsedSeconds();
    }

    /**
     * Polls (every 20 ms) until {@code records} are processed and {@code windows} emitted, and
     * marks on {@code phase} the first poll that sees {@code firstRound} windows emitted: one per
     * building, so every task has emitted, and each has made its one-off first emit check.
     */
    private void awaitDone(LongSupplier processed, long records, LongSupplier emitted, long windows, long firstRound, String what,
                           PhaseClock phase) throws InterruptedException {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        long lastLog = System.nanoTime();
        while (processed.getAsLong() < records || emitted.getAsLong() < windows) {
            if (emitted.getAsLong() >= firstRound) {
                phase.markFirstRound(processed.getAsLong());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not finish within " + PHASE_TIMEOUT.toMinutes() + " min: processed "
                        + processed.getAsLong() + " of " + records + " readings, " + emitted.getAsLong() + " of " + windows + " windows");
            }
            if (System.nanoTime() - lastLog > 10_000_000_000L) {
                log("  %s: %,d of %,d readings, %,d of %,d windows", what, processed.getAsLong(), records, emitted.getAsLong(), windows);
                lastLog = System.nanoTime();
            }
            Thread.sleep(20); // the counters are advanced by Kafka Streams' own threads
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long directoryBytes(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // a RocksDB file deleted while we walk
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
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

    private void log(String format, Object... args) {
        out.printf("[%s %s] %s%n", Instant.now().toString().substring(11, 19), guarantee, String.format(java.util.Locale.ROOT, format, args));
        out.flush();
    }

    /**
     * Wall time, CPU of both JVMs and peak memory from its creation to {@link #end}; and wall
     * time, CPU and readings from every building's first window emitted on, when that was marked.
     */
    private final class PhaseClock {
        final String name;
        final long start = System.nanoTime();
        final long cpuStart = ResourceSampler.processCpuNanos();
        final long brokerCpuStart = sampler.brokerCpuNanos();
        long firstRoundAt = -1;
        long firstRoundCpu;
        long firstRoundRecords;

        PhaseClock(String name) {
            this.name = name;
            sampler.resetPeaks();
        }

        double elapsedSeconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        /** The first call marks when every building's first window was seen emitted, with {@code processed} readings behind it. */
        void markFirstRound(long processed) {
            if (firstRoundAt < 0) {
                firstRoundAt = System.nanoTime();
                firstRoundCpu = ResourceSampler.processCpuNanos();
                firstRoundRecords = processed;
            }
        }

        PipelineReport.Phase end(long records, double startupSeconds) {
            long now = System.nanoTime();
            long cpu = ResourceSampler.processCpuNanos();
            long brokerCpu = sampler.brokerCpuNanos();
            sampler.sampleNow();
            PipelineReport.Steady steady = firstRoundAt < 0 ? PipelineReport.Steady.NONE
                    : new PipelineReport.Steady(records - firstRoundRecords, (now - firstRoundAt) / 1e9, (cpu - firstRoundCpu) / 1e9);
            return new PipelineReport.Phase(name, records, (now - start) / 1e9, startupSeconds, (cpu - cpuStart) / 1e9,
                    brokerCpu < 0 || brokerCpuStart < 0 ? -1 : (brokerCpu - brokerCpuStart) / 1e9,
                    sampler.peakHeap(), sampler.peakRss(), sampler.peakBrokerRss(), steady);
        }
    }

    /** Readings of {@code points} points per building per minute: zones, then the building-wide metrics. */
    static final class ReadingGenerator {
        private static final Metric[] BUILDING_WIDE = {Metric.OUTDOOR_TEMPERATURE_C, Metric.HVAC_POWER_KW, Metric.SETPOINT_C,
            Metric.OCCUPANCY_COUNT, Metric.CO2_PPM};
        private final Metric[] metrics;
        private final String[] zones;
        private final long seed;

        ReadingGenerator(int points, long seed) {
            this.seed = seed;
            this.metrics = new Metric[points];
            this.zones = new String[points];
            // As BuildingDevices publishes: one zone sensor per zone beyond the five building-wide points (at least one zone).
            int zoneCount = Math.max(1, points - BUILDING_WIDE.length);
            for (int p = 0; p < points; p++) {
                if (p < zoneCount) {
                    metrics[p] = Metric.ZONE_TEMPERATURE_C;
                    zones[p] = "zone-" + (p + 1);
                } else {
                    metrics[p] = BUILDING_WIDE[p - zoneCount];
                }
            }
        }

        Metric metric(int point) {
            return metrics[point];
        }

        SensorReading reading(String buildingId, int point, long atMs, int minute) {
            Metric metric = metrics[point];
            // Deterministic, plausible values with a little variation: what matters here is the volume.
            long h = (buildingId.hashCode() * 31L + point) * 0x9E3779B97F4A7C15L + seed + minute;
            double jitter = ((h >>> 11) % 1000) / 1000.0 - 0.5;
            double value = switch (metric) {
                case ZONE_TEMPERATURE_C -> 21.5 + jitter;
                case OUTDOOR_TEMPERATURE_C -> 5 + 2 * jitter;
                case HVAC_POWER_KW -> 40 + 10 * jitter;
                case SETPOINT_C -> 21.0;
                case OCCUPANCY_COUNT -> 50;
                case CO2_PPM -> 600 + 100 * jitter;
                default -> 0;
            };
            return SensorReading.newBuilder()
                    .setBuildingId(buildingId)
                    .setDeviceId(buildingId + "-p" + point)
                    .setMetric(metric)
                    .setValue(value)
                    .setObservedAt(Instant.ofEpochMilli(atMs))
                    .setZoneId(zones[point])
                    .build();
        }

        /** A reading of a building with no profile, dated {@code atMs}: it only moves stream time. */
        SensorReading closer(String key, long atMs) {
            return SensorReading.newBuilder()
                    .setBuildingId(key)
                    .setDeviceId(key)
                    .setMetric(Metric.OUTDOOR_TEMPERATURE_C)
                    .setValue(5.0)
                    .setObservedAt(Instant.ofEpochMilli(atMs))
                    .setZoneId(null)
                    .build();
        }
    }
}
