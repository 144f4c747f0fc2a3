package io.kelvin.sim;

import io.kelvin.config.KelvinConfig;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import io.kelvin.topics.TopicCatalogue;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated fleet and its BMSs attached to a Kafka cluster: publishes the fleet's
 * {@link BuildingProfile}s, then the devices' readings step by step (keyed by building, record
 * timestamp = observation time), while a BMS consumer reads {@code kelvin.setpoints} with
 * {@code isolation.level=read_committed} from the end of the topic and hands each command to the
 * building's {@link SimulatedBms} and the {@link LockstepGate}. Creates no topic. Used by
 * {@code kelvin demo} (with the optimizer beside it) and {@code kelvin simulate} (against any
 * cluster where an optimizer runs).
 */
public final class ClosedLoopSimulation {
    private static final Logger log = LoggerFactory.getLogger(ClosedLoopSimulation.class);

    private final SimulationOptions options;
    private final KelvinConfig config;
    private final TopicCatalogue topics;
    private final PrintStream out;
    private final Clock clock;
    private final AtomicLong readingsSent = new AtomicLong();
    private final AtomicLong glitchesSent = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicReference<String> firstSendFailure = new AtomicReference<>();
    private final AtomicLong commandsReceived = new AtomicLong();
    private final Map<SetpointSource, AtomicLong> commandsBySource = new EnumMap<>(SetpointSource.class);
    private final AtomicLong foreignCommands = new AtomicLong();
    private final AtomicReference<SetpointCommand> lastCommand = new AtomicReference<>();

    public ClosedLoopSimulation(SimulationOptions options, KelvinConfig config, TopicCatalogue topics, PrintStream out, Clock clock) {
        this.options = options;
        this.config = config;
        this.topics = topics;
        this.out = out;
        this.clock = clock;
        for (SetpointSource s : SetpointSource.values()) {
            commandsBySource.put(s, new AtomicLong());
        }
    }

    /** The decision window and grace the optimizer on this cluster is configured with. */
    private Duration window() {
        return Duration.ofMillis(config.getLong(KelvinConfig.WINDOW_SIZE_MS_CONFIG));
    }

    private Duration grace() {
        return Duration.ofMillis(config.getLong(KelvinConfig.WINDOW_GRACE_MS_CONFIG));
    }

    /**
     * Runs the whole simulation; {@code stop} ends it early (the KPIs then cover what was
     * simulated). {@code extraProgress} adds to each progress line (the demo's optimizer counters).
     */
    public SimulationResult run(BooleanSupplier stop, Supplier<String> extraProgress) throws InterruptedException {
        Instant now = clock.instant();
        options.validate(window(), now);
        Instant start = options.startOrDefault(now);
        FleetSimulator.Timeline timeline = new FleetSimulator.Timeline(start, options.readingInterval(), options.steps(),
                start.plus(options.learning()));
        Duration applyDelay = grace().plus(options.commandLatency());
        List<BuildingSpec> specs = new FleetGenerator(options.seed()).generate(options.buildings());
        FleetSimulator simulator = new FleetSimulator(specs, timeline, applyDelay, options.seed());
        LockstepGate gate = new LockstepGate(simulator.buildingIds(), start, window(), applyDelay, clock);

        out.printf("Simulating %d buildings from %s to %s (%.1f days, the first %.1f for learning), one reading per point every %d s,"
                        + " %s; seed %d%n", specs.size(), start, timeline.end(), options.days(), options.learningDays(),
                options.readingInterval().toSeconds(),
                Double.isInfinite(options.speed()) ? "as fast as the setpoints allow" : "at most " + (long) options.speed() + "x wall time",
                options.seed());
        publishProfiles(specs);

        AtomicBoolean running = new AtomicBoolean(true);
        KafkaConsumer<String, SetpointCommand> consumer = bmsConsumer();
        Thread bms = new Thread(() -> consume(consumer, simulator, gate, running), "kelvin-sim-bms");
        bms.setDaemon(true);
        bms.start();
        SimulationResult result;
        try (KafkaProducer<String, SensorReading> producer = producer(topics.readings().valueSerde().serializer())) {
            ReadingSink sink = new KafkaReadingSink(producer, new SplittableRandom(options.seed() ^ 0x5DEECE66DL));
            SimulationLoop loop = new SimulationLoop(simulator, gate, options.lockstepTimeout(),
                    new SimulationPacer(start, options.speed(), clock), clock, d -> Thread.sleep(Math.max(1, d.toMillis())));
            result = loop.run(sink, stop, p -> progress(p, extraProgress), options.progressEvery());
        } finally {
            running.set(false);
            consumer.wakeup();
            bms.join(10_000);
        }
        out.printf("Readings sent %,d (%,d glitched on purpose, %,d failed to send%s) | setpoints received %,d (model %,d, fallback %,d)"
                        + " | BMS: accepted %,d, duplicates %,d, stale %,d, clamped %,d; Kelvin's twins ran on a command %.1f %% of the time"
                        + " | lockstep: %,d waits (%.1f s), %,d timeouts%n",
                readingsSent.get(), glitchesSent.get(), sendFailures.get(),
                firstSendFailure.get() == null ? "" : ", first: " + firstSendFailure.get(),
                commandsReceived.get(), commandsBySource.get(SetpointSource.MODEL).get(), commandsBySource.get(SetpointSource.FALLBACK).get(),
                result.bms().accepted(), result.bms().duplicates(), result.bms().stale(), result.bms().clamped(),
                100 * result.bms().commandedShare(), result.lockstep().waits(), result.lockstep().waitedMs() / 1000.0,
                result.lockstep().timeouts());
        for (String note : result.lockstep().notes()) {
            out.println("  lockstep timeout: " + note);
        }
        if (foreignCommands.get() > 0) {
            out.printf("  %,d setpoints for buildings this run does not simulate were ignored%n", foreignCommands.get());
        }
        return result;
    }

    private void progress(SimulationProgress p, Supplier<String> extra) {
        out.printf("[%4ds] simulated %s (%3.0f %%) | readings %,d | setpoints received model %,d fallback %,d | lockstep waits %,d timeouts %,d"
                        + " | on command %.0f %%%s%n",
                p.wallElapsed().toSeconds(), p.simulated().truncatedTo(ChronoUnit.MINUTES), 100 * p.fraction(), readingsSent.get(),
                commandsBySource.get(SetpointSource.MODEL).get(), commandsBySource.get(SetpointSource.FALLBACK).get(),
                p.lockstepWaits(), p.lockstepTimeouts(), 100 * p.commandedShare(), extra.get());
        SetpointCommand c = lastCommand.get();
        if (c != null) {
            out.printf("         latest: %s -> %.2f °C (%s%s) for the window ending %s%n", c.getBuildingId(), c.getSetpointC(), c.getSource(),
                    c.getSource() == SetpointSource.MODEL ? " " + c.getModelVersion() : ", " + c.getReason(),
                    c.getWindowEnd().truncatedTo(ChronoUnit.MINUTES));
        }
    }

    private void publishProfiles(List<BuildingSpec> specs) {
        try (KafkaProducer<String, BuildingProfile> producer = producer(topics.buildings().valueSerde().serializer())) {
            for (BuildingSpec spec : specs) {
                producer.send(new ProducerRecord<>(topics.buildings().name(), spec.id(), spec.profile()));
            }
            producer.flush();
        }
        out.printf("Published %d building profiles to %s%n", specs.size(), topics.buildings().name());
    }

    /** A consumer positioned at the end of the setpoint topic: older commands belong to other runs. */
    private KafkaConsumer<String, SetpointCommand> bmsConsumer() {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        KafkaConsumer<String, SetpointCommand> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                topics.setpoints().valueSerde().deserializer());
        List<PartitionInfo> infos = consumer.partitionsFor(topics.setpoints().name(), Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("Topic " + topics.setpoints().name() + " does not exist");
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        for (TopicPartition tp : partitions) {
            consumer.position(tp, Duration.ofSeconds(30)); // resolve now, before the first reading is sent
        }
        return consumer;
    }

    private void consume(KafkaConsumer<String, SetpointCommand> consumer, FleetSimulator simulator, LockstepGate gate,
                         AtomicBoolean running) {
        try (consumer) {
            while (running.get()) {
                for (ConsumerRecord<String, SetpointCommand> record : consumer.poll(Duration.ofMillis(200))) {
                    SetpointCommand c = record.value();
                    if (c == null) {
                        continue;
                    }
                    commandsReceived.incrementAndGet();
                    if (simulator.offer(c) == SimulatedBms.Offer.OTHER_BUILDING) {
                        foreignCommands.incrementAndGet();
                        continue;
                    }
                    commandsBySource.get(c.getSource()).incrementAndGet();
                    gate.commandReceived(c.getBuildingId(), c.getWindowEnd());
                    lastCommand.set(c);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("The simulated BMS stopped reading setpoints", e);
            out.println("The simulated BMS stopped reading setpoints: " + e);
        }
    }

    private <V> KafkaProducer<String, V> producer(Serializer<V> values) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), values);
    }

    /** Sends readings keyed by building, timestamped with their observation time; glitches some on purpose. */
    private final class KafkaReadingSink implements ReadingSink {
        private final KafkaProducer<String, SensorReading> producer;
        private final SplittableRandom glitches;

        KafkaReadingSink(KafkaProducer<String, SensorReading> producer, SplittableRandom glitches) {
            this.producer = producer;
            this.glitches = glitches;
        }

        @Override
        public void publish(SensorReading reading) {
            SensorReading r = reading;
            if (options.glitchRate() > 0 && glitches.nextDouble() < options.glitchRate()) {
                r = SensorReading.newBuilder(reading).setValue(Double.NaN).build(); // Kelvin must dead-letter it, not crash
                glitchesSent.incrementAndGet();
            }
            producer.send(new ProducerRecord<>(topics.readings().name(), null, r.getObservedAt().toEpochMilli(), r.getBuildingId(), r),
                    (metadata, e) -> {
                        if (e != null) {
                            sendFailures.incrementAndGet();
                            firstSendFailure.compareAndSet(null, e.toString());
                        }
                    });
            readingsSent.incrementAndGet();
        }

        @Override
        public void flush() {
            producer.flush();
        }
    }
}
