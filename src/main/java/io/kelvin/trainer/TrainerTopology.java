package io.kelvin.trainer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.config.StreamsSettings;
import io.kelvin.errors.DeadLetters;
import io.kelvin.inference.ModelContract;
import io.kelvin.optimizer.ModelCatalog.ModelLoader;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.TrainingReport;
import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import java.time.Clock;
import java.util.LinkedHashSet;
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
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The trainer topology (application.id {@code kelvin-trainer}): feedback rows are kept per
 * building and every building's model is retrained once per building-local day by stream time
 * ({@link ModelTrainer}); a deterministic sample of the rows is repartitioned to a
 * single-partition internal topic, where the pooled {@value ModelContract#GLOBAL_KEY} model is
 * kept and retrained the same way, once every upstream partition's stream time has passed the
 * training hour (each sampled row, and a heartbeat when none is, carries its source partition's
 * stream time: {@link SourceWatermarks}). Each training publishes a {@link TrainingReport}, and a
 * {@link ModelRelease} when the challenger passes the {@link PromotionGate}, in the transaction
 * that records the training. Every processor, store and internal topic has an explicit name;
 * {@code topology/trainer-topology.txt} holds the description a test compares against.
 *
 * <p>A pure builder: it touches no runtime, so tests drive it with TopologyTestDriver.
 */
public final class TrainerTopology {
    public static final String FEEDBACK_SOURCE = "kelvin-trainer-feedback-source";
    public static final String PROFILES_SOURCE = "kelvin-trainer-buildings-source";
    public static final String PROFILES_STORE = "kelvin-trainer-building-profiles";
    public static final String TRAIN_BUILDINGS = "kelvin-train-buildings";
    public static final String ROWS_STORE = "kelvin-trainer-rows";
    public static final String LAST_TRAINED_STORE = "kelvin-trainer-last-trained";
    public static final String DUE_STORE = "kelvin-trainer-due";
    public static final String SAMPLE = "kelvin-trainer-sample";
    /** The single-partition internal topic where all sampled rows meet. */
    public static final String GLOBAL_SAMPLE = "kelvin-trainer-global-sample";
    public static final String TRAIN_GLOBAL = "kelvin-train-global";
    public static final String GLOBAL_ROWS_STORE = "kelvin-trainer-global-rows";
    public static final String GLOBAL_LAST_TRAINED_STORE = "kelvin-trainer-global-last-trained";
    public static final String GLOBAL_DUE_STORE = "kelvin-trainer-global-due";
    public static final String GLOBAL_ROW_COUNT_STORE = "kelvin-trainer-global-row-count";
    /** Per upstream feedback partition, its watermark as last reported to the pooled task. */
    public static final String GLOBAL_WATERMARKS_STORE = "kelvin-trainer-global-watermarks";

    private TrainerTopology() {}

    /**
     * The topology, the pooled model waiting for {@value KelvinConfig#TRAINER_GLOBAL_SOURCE_PARTITIONS_CONFIG}
     * partitions, or {@value KelvinConfig#TOPIC_PARTITIONS_CONFIG} when that is 0.
     */
    public static Topology build(KelvinConfig config, TopicCatalogue topics, ModelLoader loader, Clock wallClock, TrainerMetrics metrics) {
        int configured = config.getInt(KelvinConfig.TRAINER_GLOBAL_SOURCE_PARTITIONS_CONFIG);
        return build(config, topics, loader, wallClock, metrics,
                configured > 0 ? configured : config.getInt(KelvinConfig.TOPIC_PARTITIONS_CONFIG));
    }

    /**
     * @param feedbackPartitions partitions of the feedback topic the pooled model waits for (more when seen)
     * @param loader    validates each exported model as the optimizer will (the inference engine)
     * @param wallClock paces punctuations' work budget and times reports; never decides what is trained
     */
    public static Topology build(KelvinConfig config, TopicCatalogue topics, ModelLoader loader, Clock wallClock, TrainerMetrics metrics,
                                 int feedbackPartitions) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(StreamsSettings.namingRules(config))));

        Topic<String, BuildingProfile> buildings = topics.buildings();
        builder.globalTable(buildings.name(),
                Consumed.with(buildings.keySerde(), buildings.valueSerde()).withName(PROFILES_SOURCE),
                Materialized.<String, BuildingProfile, KeyValueStore<Bytes, byte[]>>as(PROFILES_STORE)
                        .withKeySerde(buildings.keySerde()).withValueSerde(buildings.valueSerde()));

        Topic<String, Feedback> feedback = topics.feedback();
        KStream<String, Feedback> rows = builder.stream(feedback.name(),
                Consumed.with(feedback.keySerde(), feedback.valueSerde()).withName(FEEDBACK_SOURCE));

        route(rows.process(trainer(false, config, topics, loader, wallClock, metrics, feedbackPartitions), Named.as(TRAIN_BUILDINGS)),
                topics, "building");

        GlobalSample sample = new GlobalSample(config.getDouble(KelvinConfig.TRAINER_GLOBAL_SAMPLE_RATE_CONFIG));
        long tickMs = config.getLong(KelvinConfig.TRAINER_TICK_MS_CONFIG);
        long idleMs = config.getLong(KelvinConfig.TRAINER_GLOBAL_IDLE_MS_CONFIG);
        route(rows.process(() -> new GlobalSampleForwarder(sample, tickMs, idleMs), Named.as(SAMPLE))
                .repartition(Repartitioned.with(feedback.keySerde(), feedback.valueSerde()).withName(GLOBAL_SAMPLE).withNumberOfPartitions(1))
                .process(trainer(true, config, topics, loader, wallClock, metrics, feedbackPartitions), Named.as(TRAIN_GLOBAL)), topics, "global");
        return builder.build();
    }

    /** Releases to the models topic, reports to the reports topic; names carry {@code kind}. */
    private static void route(KStream<String, SpecificRecord> out, TopicCatalogue topics, String kind) {
        Topic<String, ModelRelease> models = topics.models();
        Topic<String, TrainingReport> reports = topics.trainingReports();
        String prefix = "kelvin-trainer-" + kind;
        out.split(Named.as(prefix + "-route-"))
                .branch((key, value) -> value instanceof ModelRelease, Branched.withConsumer(s -> s
                        .mapValues(value -> (ModelRelease) value, Named.as(prefix + "-as-release"))
                        .to(models.name(), Produced.with(models.keySerde(), models.valueSerde()).withName(prefix + "-models-sink")),
                        "releases"))
                .branch((key, value) -> value instanceof TrainingReport, Branched.withConsumer(s -> s
                        .mapValues(value -> (TrainingReport) value, Named.as(prefix + "-as-report"))
                        .to(reports.name(), Produced.with(reports.keySerde(), reports.valueSerde()).withName(prefix + "-reports-sink")),
                        "reports"))
                .noDefaultBranch();
    }

    private static ProcessorSupplier<String, Feedback, String, SpecificRecord> trainer(
            boolean pooled, KelvinConfig config, TopicCatalogue topics, ModelLoader loader, Clock wallClock, TrainerMetrics metrics,
            int feedbackPartitions) {
        ModelTrainer.Stores names = pooled
                ? new ModelTrainer.Stores(GLOBAL_ROWS_STORE, GLOBAL_LAST_TRAINED_STORE, GLOBAL_DUE_STORE, GLOBAL_ROW_COUNT_STORE, GLOBAL_WATERMARKS_STORE)
                : new ModelTrainer.Stores(ROWS_STORE, LAST_TRAINED_STORE, DUE_STORE, null, null);
        Set<StoreBuilder<?>> stores = new LinkedHashSet<>(); // a fixed order, so the checked-in description is stable
        stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.rows()), Serdes.String(), topics.feedback().valueSerde()));
        stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.lastTrained()), Serdes.String(), Serdes.Integer()));
        stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.due()), Serdes.String(), Serdes.Integer()));
        if (pooled) {
            stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.rowCount()), Serdes.String(), Serdes.Long()));
            stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.watermarks()), Serdes.Integer(), SourceWatermarks.serde()));
        }
        int historyDays = config.getInt(KelvinConfig.TRAINER_HISTORY_DAYS_CONFIG);
        ModelTraining.Settings settings = new ModelTraining.Settings(historyDays,
                config.getInt(KelvinConfig.TRAINER_MIN_ROWS_CONFIG),
                config.getInt(KelvinConfig.TRAINER_MIN_HOLDOUT_ROWS_CONFIG),
                PromotionGate.fromConfig(config));
        TrainingSchedule schedule = new TrainingSchedule(config.getInt(KelvinConfig.TRAINER_HOUR_CONFIG));
        return new ProcessorSupplier<>() {
            @Override
            public ModelTrainer get() {
                return new ModelTrainer(pooled, names, PROFILES_STORE, schedule, new ModelTraining(settings, loader, wallClock), metrics,
                        wallClock, historyDays, config.getInt(KelvinConfig.TRAINER_GLOBAL_SAMPLE_ROWS_CONFIG),
                        config.getInt(KelvinConfig.TRAINER_MAX_MODELS_PER_TICK_CONFIG),
                        config.getLong(KelvinConfig.TRAINER_TICK_BUDGET_MS_CONFIG),
                        config.getLong(KelvinConfig.TRAINER_TICK_MS_CONFIG), feedbackPartitions,
                        config.getLong(KelvinConfig.TRAINER_GLOBAL_MAX_LAG_MS_CONFIG));
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }

    /**
     * The Kafka Streams settings of the trainer: the user's Kafka settings plus what Kelvin
     * requires (explicit names, dead-letter topic and handlers).
     */
    public static Properties streamsProperties(KelvinConfig config, DeadLetters deadLetters) {
        return StreamsSettings.of(config, deadLetters);
    }
}
