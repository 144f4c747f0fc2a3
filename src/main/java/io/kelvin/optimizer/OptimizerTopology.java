package io.kelvin.optimizer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.config.StreamsSettings;
import io.kelvin.errors.DeadLetters;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.DecisionState;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.PendingWindow;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The optimizer topology (application.id {@code kelvin-optimizer}): readings are validated
 * (unusable ones dead-lettered with a reason), aggregated per building into tumbling windows
 * that are emitted only once closed, and each closed window is turned into a setpoint command
 * and the previous decision's feedback. Every processor, store and internal topic has an explicit
 * name; {@code topology/optimizer-topology.txt} holds the description a test compares against.
 *
 * <p>A pure builder: it touches no runtime, so tests drive it with TopologyTestDriver.
 */
public final class OptimizerTopology {
    public static final String READINGS_SOURCE = "kelvin-readings-source";
    public static final String VALIDATE = "kelvin-validate-readings";
    public static final String BY_BUILDING = "kelvin-readings-by-building";
    public static final String WINDOW_AGGREGATE = "kelvin-window-aggregate";
    public static final String WINDOW_STORE = "kelvin-building-windows";
    public static final String CLOSED_WINDOWS = "kelvin-closed-windows";
    public static final String OPTIMIZE = "kelvin-optimize";
    public static final String DECISIONS_STORE = "kelvin-decisions";
    public static final String PENDING_STORE = "kelvin-pending-windows";
    public static final String PROFILES_SOURCE = "kelvin-buildings-source";
    public static final String PROFILES_STORE = "kelvin-building-profiles";
    public static final String ROUTE = "kelvin-route-";
    public static final String MODELS_SOURCE = "kelvin-models-source";
    public static final String MODELS_STORE = "kelvin-model-releases";
    /** Kafka Streams' internal throttle of emit-on-window-close checks (wall-clock ms). */
    public static final String EMIT_INTERVAL_CONFIG = "__emit.interval.ms.kstreams.windowed.aggregation__";

    private OptimizerTopology() {}

    /** The topology; {@code watchdog} learns when each building was last commanded. */
    public static Topology build(KelvinConfig config, TopicCatalogue topics, ModelCatalog models, Clock clock, OptimizerMetrics metrics,
                                 BuildingWatchdog watchdog) {
        long windowMs = config.getLong(KelvinConfig.WINDOW_SIZE_MS_CONFIG);
        long graceMs = config.getLong(KelvinConfig.WINDOW_GRACE_MS_CONFIG);
        long maxFutureMs = config.getLong(KelvinConfig.VALIDATION_MAX_FUTURE_MS_CONFIG);
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(StreamsSettings.namingRules(config))));

        Topic<String, BuildingProfile> buildings = topics.buildings();
        builder.globalTable(buildings.name(),
                Consumed.with(buildings.keySerde(), buildings.valueSerde()).withName(PROFILES_SOURCE),
                Materialized.<String, BuildingProfile, KeyValueStore<Bytes, byte[]>>as(PROFILES_STORE)
                        .withKeySerde(buildings.keySerde()).withValueSerde(buildings.valueSerde()));

        Topic<String, ModelRelease> releases = topics.models();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MODELS_STORE), releases.keySerde(), releases.valueSerde())
                        .withLoggingDisabled(), // a global store's changelog is its source topic
                releases.name(),
                Consumed.with(releases.keySerde(), releases.valueSerde()).withName(MODELS_SOURCE),
                () -> new ModelReleaseProcessor(models));

        Topic<String, SensorReading> readings = topics.readings();
        KStream<Windowed<String>, BuildingWindow> closedWindows = builder
                .stream(readings.name(), Consumed.with(readings.keySerde(), readings.valueSerde())
                        .withName(READINGS_SOURCE)
                        .withTimestampExtractor(new ReadingTimestampExtractor(clock, maxFutureMs)))
                .processValues(() -> new ReadingValidator(clock, maxFutureMs, windowMs, graceMs, metrics), Named.as(VALIDATE))
                .groupByKey(Grouped.<String, SensorReading>as(BY_BUILDING).withKeySerde(readings.keySerde()).withValueSerde(readings.valueSerde()))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(windowMs), Duration.ofMillis(graceMs)))
                .emitStrategy(EmitStrategy.onWindowClose())
                .aggregate(WindowAggregator::empty,
                        new WindowAggregator(config.getInt(KelvinConfig.WINDOW_MAX_POWER_SAMPLES_CONFIG)),
                        Named.as(WINDOW_AGGREGATE),
                        Materialized.<String, BuildingWindow, WindowStore<Bytes, byte[]>>as(WINDOW_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(topics.window()))
                .toStream(Named.as(CLOSED_WINDOWS));

        Topic<String, SetpointCommand> setpoints = topics.setpoints();
        Topic<String, Feedback> feedback = topics.feedback();
        closedWindows
                .process(optimizer(config, models, metrics, watchdog, topics), Named.as(OPTIMIZE))
                .split(Named.as(ROUTE))
                .branch((building, out) -> out instanceof SetpointCommand, Branched.withConsumer(s -> s
                        .mapValues(out -> (SetpointCommand) out, Named.as("kelvin-as-setpoint"))
                        .to(setpoints.name(), Produced.with(setpoints.keySerde(), setpoints.valueSerde()).withName("kelvin-setpoints-sink")),
                        "setpoints"))
                .branch((building, out) -> out instanceof Feedback, Branched.withConsumer(s -> s
                        .mapValues(out -> (Feedback) out, Named.as("kelvin-as-feedback"))
                        .to(feedback.name(), Produced.with(feedback.keySerde(), feedback.valueSerde()).withName("kelvin-feedback-sink")),
                        "feedback"))
                .noDefaultBranch();
        return builder.build();
    }

    private static ProcessorSupplier<Windowed<String>, BuildingWindow, String, SpecificRecord> optimizer(
            KelvinConfig config, Predictor predictor, OptimizerMetrics metrics, BuildingWatchdog watchdog, TopicCatalogue topics) {
        StoreBuilder<KeyValueStore<String, DecisionState>> decisions = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DECISIONS_STORE), Serdes.String(), topics.decision());
        // Cached: a window is usually decided within the commit interval it was put in, and then
        // only its tombstone reaches RocksDB and the changelog, not the whole window.
        StoreBuilder<KeyValueStore<String, PendingWindow>> pending = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_STORE), Serdes.String(), topics.pendingWindow()).withCachingEnabled();
        return new ProcessorSupplier<>() {
            @Override
            public SetpointOptimizer get() {
                return new SetpointOptimizer(config, PROFILES_STORE, predictor, metrics, watchdog);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(decisions, pending);
            }
        };
    }

    /**
     * The Kafka Streams settings of the optimizer: the user's Kafka settings plus what Kelvin
     * requires (explicit names, dead-letter topic and handlers). Carries {@code deadLetters} to
     * the handlers Kafka Streams instantiates.
     */
    public static Properties streamsProperties(KelvinConfig config, DeadLetters deadLetters) {
        Properties props = StreamsSettings.of(config, deadLetters);
        applyWindowing(props);
        return props;
    }

    /**
     * The Kafka Streams settings of the windowed sub-topology, applied to {@code props} (the
     * bench's baseline count runs with them too). Always: look for closed windows on every
     * record, not at most once per wall-clock second; with the throttle a burst ends without a
     * check, and its decisions wait for a later record. Unless the user set it: {@code
     * max.task.idle.ms=-1}; each task reads one partition, so there is nothing to wait for, and
     * with the default 0 Kafka Streams formats a log line every time it finds a task's partition
     * empty, which it does while the task waits for its next fetch (8.7 % of the stream thread's
     * samples in the 10k bench, 2026-12-07).
     */
    public static void applyWindowing(Map<Object, Object> props) {
        props.put(EMIT_INTERVAL_CONFIG, 0L);
        props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    }
}
