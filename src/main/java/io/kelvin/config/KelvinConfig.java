package io.kelvin.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kelvin's typed configuration, in Kafka's {@link ConfigDef} style: every {@code kelvin.*}
 * setting is defined here with its type, default, validator and documentation. Any other key
 * must be a Kafka client or Streams setting (SASL, TLS, tuning) and passes through unchanged.
 *
 * <p>Layers, later wins: the role's shipped defaults ({@code topology/<role>.properties}), a
 * user file, environment variables ({@code KELVIN_WINDOW_GRACE_MS} for {@code
 * kelvin.window.grace.ms}, {@code KAFKA_BOOTSTRAP_SERVERS} for {@code bootstrap.servers}), and
 * explicit overrides (command-line options). An unknown or invalid setting fails at start with
 * a {@link ConfigException} naming it.
 */
public final class KelvinConfig extends AbstractConfig {

    public static final String READINGS_TOPIC_CONFIG = "kelvin.topic.readings";
    public static final String BUILDINGS_TOPIC_CONFIG = "kelvin.topic.buildings";
    public static final String SETPOINTS_TOPIC_CONFIG = "kelvin.topic.setpoints";
    public static final String FEEDBACK_TOPIC_CONFIG = "kelvin.topic.feedback";
    public static final String MODELS_TOPIC_CONFIG = "kelvin.topic.models";
    public static final String TRAINING_REPORTS_TOPIC_CONFIG = "kelvin.topic.training-reports";
    public static final String DEAD_LETTERS_TOPIC_CONFIG = "kelvin.topic.dead-letters";
    public static final String TOPIC_PARTITIONS_CONFIG = "kelvin.topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR_CONFIG = "kelvin.topic.replication.factor";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "kelvin.schema.registry.url";
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_CONFIG = "kelvin.schema.registry.basic.auth.user.info";
    public static final String SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG = "kelvin.schema.registry.bearer.token";
    public static final String SCHEMA_REGISTRY_TIMEOUT_MS_CONFIG = "kelvin.schema.registry.timeout.ms";

    public static final String WINDOW_SIZE_MS_CONFIG = "kelvin.window.size.ms";
    public static final String WINDOW_GRACE_MS_CONFIG = "kelvin.window.grace.ms";
    public static final String WINDOW_MAX_POWER_SAMPLES_CONFIG = "kelvin.window.max.power.samples";
    public static final String WINDOW_STORE_ENCODING_CONFIG = "kelvin.window.store.encoding";
    public static final String ROCKSDB_BLOCK_CACHE_BYTES_CONFIG = "kelvin.rocksdb.block.cache.bytes";
    public static final String VALIDATION_MAX_FUTURE_MS_CONFIG = "kelvin.validation.max.future.ms";

    public static final String OPTIMIZER_MIN_READINGS_CONFIG = "kelvin.optimizer.min.zone.readings";
    public static final String SETPOINT_VALIDITY_MS_CONFIG = "kelvin.setpoint.validity.ms";
    public static final String SETPOINT_MAX_CHANGE_K_CONFIG = "kelvin.setpoint.max.change.per.step.k";
    public static final String SETPOINT_CANDIDATE_STEP_K_CONFIG = "kelvin.setpoint.candidate.step.k";
    public static final String OBJECTIVE_ENERGY_PRICE_CONFIG = "kelvin.objective.energy.price";
    public static final String OBJECTIVE_COMFORT_PENALTY_CONFIG = "kelvin.objective.comfort.penalty.per.kh";
    public static final String OBJECTIVE_COMFORT_MARGIN_K_CONFIG = "kelvin.objective.comfort.margin.k";
    public static final String OBJECTIVE_PREHEAT_MS_CONFIG = "kelvin.objective.preheat.ms";
    public static final String OBJECTIVE_PREHEAT_PER_K_MS_CONFIG = "kelvin.objective.preheat.per.k.ms";
    public static final String VENTILATION_ENABLED_CONFIG = "kelvin.ventilation.enabled";
    public static final String VENTILATION_CO2_BAND_PPM_CONFIG = "kelvin.ventilation.co2.band.ppm";
    public static final String VENTILATION_CO2_MARGIN_PPM_CONFIG = "kelvin.ventilation.co2.margin.ppm";

    public static final String INFERENCE_DEVICE_CONFIG = "kelvin.inference.device";
    public static final String INFERENCE_INTRA_OP_THREADS_CONFIG = "kelvin.inference.intra.op.threads";
    public static final String INFERENCE_INTER_OP_THREADS_CONFIG = "kelvin.inference.inter.op.threads";
    public static final String INFERENCE_BATCH_SIZE_CONFIG = "kelvin.inference.batch.size";
    public static final String INFERENCE_BATCH_LINGER_MS_CONFIG = "kelvin.inference.batch.linger.ms";
    public static final String MODELS_BUNDLED_CONFIG = "kelvin.models.bundled";
    public static final String MODELS_MAX_BYTES_CONFIG = "kelvin.models.max.bytes";
    public static final String MODELS_FETCH_TIMEOUT_MS_CONFIG = "kelvin.models.fetch.timeout.ms";

    public static final String TRAINER_HISTORY_DAYS_CONFIG = "kelvin.trainer.history.days";
    public static final String TRAINER_HOUR_CONFIG = "kelvin.trainer.hour";
    public static final String TRAINER_MIN_ROWS_CONFIG = "kelvin.trainer.min.rows";
    public static final String TRAINER_MIN_HOLDOUT_ROWS_CONFIG = "kelvin.trainer.min.holdout.rows";
    public static final String TRAINER_PROMOTION_MARGIN_CONFIG = "kelvin.trainer.promotion.margin";
    public static final String TRAINER_MAX_MODELS_PER_TICK_CONFIG = "kelvin.trainer.max.models.per.tick";
    public static final String TRAINER_TICK_BUDGET_MS_CONFIG = "kelvin.trainer.tick.budget.ms";
    public static final String TRAINER_TICK_MS_CONFIG = "kelvin.trainer.tick.ms";
    public static final String TRAINER_GLOBAL_SAMPLE_RATE_CONFIG = "kelvin.trainer.global.sample.rate";
    public static final String TRAINER_GLOBAL_SAMPLE_ROWS_CONFIG = "kelvin.trainer.global.sample.rows";
    public static final String TRAINER_GLOBAL_SOURCE_PARTITIONS_CONFIG = "kelvin.trainer.global.source.partitions";
    public static final String TRAINER_GLOBAL_IDLE_MS_CONFIG = "kelvin.trainer.global.idle.ms";
    public static final String TRAINER_GLOBAL_MAX_LAG_MS_CONFIG = "kelvin.trainer.global.max.lag.ms";

    public static final String HTTP_PORT_CONFIG = "kelvin.http.port";
    public static final String WATCHDOG_STALE_AFTER_MS_CONFIG = "kelvin.watchdog.stale.after.ms";
    public static final String WATCHDOG_CHECK_INTERVAL_MS_CONFIG = "kelvin.watchdog.check.interval.ms";

    private static final String PREFIX = "kelvin.";

    static final ConfigDef CONFIG = new ConfigDef()
            .define(READINGS_TOPIC_CONFIG, Type.STRING, "kelvin.readings", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Input topic of SensorReading records, keyed by building id.")
            .define(BUILDINGS_TOPIC_CONFIG, Type.STRING, "kelvin.buildings", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Compacted topic of BuildingProfile records, keyed by building id.")
            .define(SETPOINTS_TOPIC_CONFIG, Type.STRING, "kelvin.setpoints", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Output topic of SetpointCommand records for the BMS.")
            .define(FEEDBACK_TOPIC_CONFIG, Type.STRING, "kelvin.feedback", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Output topic of Feedback records (decision joined with observed outcome).")
            .define(MODELS_TOPIC_CONFIG, Type.STRING, "kelvin.models", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Compacted topic of ModelRelease records, keyed by building id or __global__.")
            .define(TRAINING_REPORTS_TOPIC_CONFIG, Type.STRING, "kelvin.training-reports", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Output topic of TrainingReport records.")
            .define(DEAD_LETTERS_TOPIC_CONFIG, Type.STRING, "kelvin.dead-letters", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Dead-letter topic: original key and bytes with the reason in headers (Kafka Streams' errors.dead.letter.queue.topic.name).")
            .define(TOPIC_PARTITIONS_CONFIG, Type.INT, 12, Range.atLeast(1), Importance.MEDIUM,
                    "Partitions of the keyed topics when Kelvin creates them (embedded broker, kelvin topics create). Caps the optimizer's useful replicas.")
            .define(TOPIC_REPLICATION_FACTOR_CONFIG, Type.SHORT, (short) -1, Importance.MEDIUM,
                    "Replication factor when Kelvin creates topics; -1 takes the broker's default.")
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Schema registry: http(s)://host:port of a Confluent-compatible registry; kafka://bootstrap/topic for the registry Kelvin keeps in a compacted topic; mock://scope for tests.")
            .define(SCHEMA_REGISTRY_BASIC_AUTH_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                    "user:password for HTTP basic authentication to the registry.")
            .define(SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                    "Bearer token for the registry (instead of basic authentication).")
            .define(SCHEMA_REGISTRY_TIMEOUT_MS_CONFIG, Type.INT, 10_000, Range.atLeast(1), Importance.LOW,
                    "Timeout of one registry request, ms.")
            .define(WINDOW_SIZE_MS_CONFIG, Type.LONG, 600_000L, Range.atLeast(1_000), Importance.HIGH,
                    "Length of the tumbling decision window, ms.")
            .define(WINDOW_GRACE_MS_CONFIG, Type.LONG, 120_000L, Range.atLeast(0), Importance.HIGH,
                    "How long after a window's end late readings are still accepted, ms. Decisions wait this long.")
            .define(WINDOW_MAX_POWER_SAMPLES_CONFIG, Type.INT, 720, Range.between(1, 100_000), Importance.LOW,
                    "Power samples kept per window for the energy integral; past this, energy is estimated as mean power times window length.")
            .define(WINDOW_STORE_ENCODING_CONFIG, Type.STRING, "compact", ConfigDef.CaseInsensitiveValidString.in("compact", "avro"), Importance.LOW,
                    "How the optimizer writes its window store (both are always read): compact, Kelvin's own encoding, or avro, "
                            + "the Confluent wire format. Set avro for the first rolling upgrade from a version without this setting, "
                            + "whose instances read only avro.")
            .define(ROCKSDB_BLOCK_CACHE_BYTES_CONFIG, Type.LONG, 256L * 1024 * 1024, Range.atLeast(0), Importance.MEDIUM,
                    "Block cache all RocksDB stores of this process's application share, bytes; it also holds their index and filter"
                            + " blocks. 0: Kafka Streams' default, a 50 MiB cache per store and window segment. Memtables are apart"
                            + " (Kafka Streams' defaults, up to three 16 MiB per store). Ignored when rocksdb.config.setter is set.")
            .define(VALIDATION_MAX_FUTURE_MS_CONFIG, Type.LONG, 300_000L, Range.atLeast(0), Importance.MEDIUM,
                    "A reading observed more than this far after the wall clock is dead-lettered (future-timestamp), ms.")
            .define(OPTIMIZER_MIN_READINGS_CONFIG, Type.INT, 3, Range.atLeast(1), Importance.MEDIUM,
                    "Zone temperature readings a window needs for a model decision; fewer falls back to the schedule (too-few-readings).")
            .define(SETPOINT_VALIDITY_MS_CONFIG, Type.LONG, 1_500_000L, Range.atLeast(60_000), Importance.HIGH,
                    "validUntil = window end + this, ms. Must outlast the gap to the next decision (window size + grace).")
            .define(SETPOINT_MAX_CHANGE_K_CONFIG, Type.DOUBLE, 0.5, Range.between(0.0, 10.0), Importance.HIGH,
                    "Largest setpoint change between consecutive commands, K; a profile's own limit applies when stricter.")
            .define(SETPOINT_CANDIDATE_STEP_K_CONFIG, Type.DOUBLE, 0.1, Range.between(0.01, 5.0), Importance.LOW,
                    "Spacing of the candidate setpoints the model ranks, K.")
            .define(OBJECTIVE_ENERGY_PRICE_CONFIG, Type.DOUBLE, 1.0, Range.atLeast(0.0), Importance.MEDIUM,
                    "Cost of one kWh in the objective.")
            .define(OBJECTIVE_COMFORT_PENALTY_CONFIG, Type.DOUBLE, 100.0, Range.atLeast(0.0), Importance.MEDIUM,
                    "Cost of one kelvin-hour outside the comfort band while occupied, in the same unit as the energy price.")
            .define(OBJECTIVE_COMFORT_MARGIN_K_CONFIG, Type.DOUBLE, 0.05, Range.between(0.0, 2.0), Importance.MEDIUM,
                    "The objective aims this far inside the comfort band: a predicted indoor temperature closer than this to either"
                            + " edge costs as if outside. Covers model and sensor error; the BMS's dead band is the profile's"
                            + " bmsDeadbandHalfWidthK, K.")
            .define(OBJECTIVE_PREHEAT_MS_CONFIG, Type.LONG, 1_800_000L, Range.between(0L, 43_200_000L), Importance.MEDIUM,
                    "Comfort is required from this long before each occupied period: candidates are held to the comfort band and"
                            + " predicted discomfort is penalised that early, so rooms are in band when people arrive, ms.")
            .define(OBJECTIVE_PREHEAT_PER_K_MS_CONFIG, Type.LONG, 900_000L, Range.between(0L, 14_400_000L), Importance.MEDIUM,
                    "Added to the pre-heat lead for each kelvin the zone (the window's mean) lies outside the comfort band, so a"
                            + " building that cooled down further starts earlier (a linear optimum start), ms per K.")
            .define(VENTILATION_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Command demand-controlled ventilation (ventilationLps) for buildings whose profile gives ventilation limits and"
                            + " whose devices report CO2; false leaves ventilation to the BMS.")
            .define(VENTILATION_CO2_BAND_PPM_CONFIG, Type.DOUBLE, 400.0, Range.between(1.0, 5_000.0), Importance.LOW,
                    "CO2 span over which the commanded airflow rises from the profile's minimum to its design airflow, ppm.")
            .define(VENTILATION_CO2_MARGIN_PPM_CONFIG, Type.DOUBLE, 100.0, Range.between(0.0, 5_000.0), Importance.LOW,
                    "The design airflow is commanded from this far below the profile's co2LimitPpm, ppm.")
            .define(INFERENCE_DEVICE_CONFIG, Type.STRING, "auto", ConfigDef.CaseInsensitiveValidString.in("auto", "cpu", "cuda"), Importance.HIGH,
                    "Where ONNX Runtime runs models: auto (CUDA when available, else CPU, logged and labelled in metrics), cpu, or cuda (fails at start when CUDA is unavailable).")
            .define(INFERENCE_INTRA_OP_THREADS_CONFIG, Type.INT, 1, Range.atLeast(0), Importance.MEDIUM,
                    "ONNX Runtime threads within one operator; 0 lets ONNX Runtime choose (one per core). Each stream thread calls inference itself, so 1 avoids oversubscribing the cores.")
            .define(INFERENCE_INTER_OP_THREADS_CONFIG, Type.INT, 1, Range.atLeast(0), Importance.LOW,
                    "ONNX Runtime threads across independent operators; 0 lets ONNX Runtime choose.")
            .define(INFERENCE_BATCH_SIZE_CONFIG, Type.INT, 256, Range.between(1, 1_000_000), Importance.MEDIUM,
                    "Closed windows (buildings) batched into one inference call per model; a full batch is flushed at once.")
            .define(INFERENCE_BATCH_LINGER_MS_CONFIG, Type.LONG, 100L, Range.between(1, 600_000), Importance.MEDIUM,
                    "Longest wall-clock wait of a closed window for its batch to fill, ms.")
            .define(MODELS_BUNDLED_CONFIG, Type.STRING, "classpath:kelvin/models/bundled.onnx", Importance.MEDIUM,
                    "The cold-start model used when a building has no model of its own and there is no global model: classpath:RESOURCE, a file path, or empty for none (then the schedule rule).")
            .define(MODELS_MAX_BYTES_CONFIG, Type.INT, 64 * 1024 * 1024, Range.atLeast(1024), Importance.LOW,
                    "Largest ONNX model accepted, bytes (inline or fetched by URI).")
            .define(MODELS_FETCH_TIMEOUT_MS_CONFIG, Type.INT, 30_000, Range.atLeast(1), Importance.LOW,
                    "Timeout for fetching a model release given by URI, ms.")
            .define(TRAINER_HISTORY_DAYS_CONFIG, Type.INT, 28, Range.between(3, 366), Importance.HIGH,
                    "Days of feedback rows the trainer keeps per building (and in the pooled sample) and trains on.")
            .define(TRAINER_HOUR_CONFIG, Type.INT, 2, Range.between(0, 23), Importance.HIGH,
                    "Building-local hour after which a building's model is retrained, once per local day, judged by stream time.")
            .define(TRAINER_MIN_ROWS_CONFIG, Type.INT, 288, Range.atLeast(20), Importance.MEDIUM,
                    "Usable rows before the held-out day (training and validation together) a model needs; fewer reports INSUFFICIENT_DATA.")
            .define(TRAINER_MIN_HOLDOUT_ROWS_CONFIG, Type.INT, 36, Range.atLeast(1), Importance.MEDIUM,
                    "Usable rows the held-out last day needs for the challenger to be judged; fewer reports INSUFFICIENT_DATA.")
            .define(TRAINER_PROMOTION_MARGIN_CONFIG, Type.DOUBLE, 0.02, Range.between(0.0, 0.99), Importance.HIGH,
                    "Relative improvement a challenger needs over the champion (or over persistence for a first model) to be released, its held-out errors priced as the objective prices them: energy MAE times kelvin.objective.energy.price plus indoor MAE times kelvin.objective.comfort.penalty.per.kh per window hour.")
            .define(TRAINER_MAX_MODELS_PER_TICK_CONFIG, Type.INT, 4, Range.atLeast(1), Importance.MEDIUM,
                    "Models trained at most per punctuation; the rest wait in the queue for the next tick.")
            .define(TRAINER_TICK_BUDGET_MS_CONFIG, Type.LONG, 20_000L, Range.atLeast(1), Importance.MEDIUM,
                    "Wall-clock time after which a punctuation starts no further training, ms; keep it well below max.poll.interval.ms.")
            .define(TRAINER_TICK_MS_CONFIG, Type.LONG, 60_000L, Range.atLeast(100), Importance.LOW,
                    "Interval of the trainer's punctuations, ms: of stream time (finding due models and training them) and of wall-clock time (draining the queue while stream time stands still).")
            .define(TRAINER_GLOBAL_SAMPLE_RATE_CONFIG, Type.DOUBLE, 0.1, Range.between(0.0001, 1.0), Importance.MEDIUM,
                    "Fraction of feedback rows sampled (deterministically, by building and decision time) into the pooled global model's training set.")
            .define(TRAINER_GLOBAL_SAMPLE_ROWS_CONFIG, Type.INT, 20_000, Range.between(100, 1_000_000), Importance.MEDIUM,
                    "Most sampled rows the pooled global model keeps; when full, the sample is thinned evenly over its history (the hash threshold is halved).")
            .define(HTTP_PORT_CONFIG, Type.INT, 8080, Range.between(-1, 65_535), Importance.MEDIUM,
                    "Port of the operations endpoint (/metrics, /health/live, /health/ready, /info): 0 picks a free port (logged), -1 disables it.")
            .define(WATCHDOG_STALE_AFTER_MS_CONFIG, Type.LONG, 1_800_000L, Range.atLeast(60_000), Importance.MEDIUM,
                    "Wall-clock time without a setpoint command after which a building the optimizer knows counts as stale (kelvin_buildings_stale, /info), ms.")
            .define(WATCHDOG_CHECK_INTERVAL_MS_CONFIG, Type.LONG, 60_000L, Range.atLeast(1_000), Importance.LOW,
                    "How often the optimizer looks for stale buildings to log them, ms; the gauge and /info are computed when read.")
            .define(TRAINER_GLOBAL_SOURCE_PARTITIONS_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.LOW,
                    "Partitions of the feedback topic the pooled model waits for; 0: the topic's actual count, found at start (kelvin.topic.partitions when it cannot be found). Partitions seen beyond it are waited for too.")
            .define(TRAINER_GLOBAL_IDLE_MS_CONFIG, Type.LONG, 120_000L, Range.atLeast(0), Importance.LOW,
                    "Wall-clock time after which a feedback partition that processed no record counts as idle, ms: the pooled model stops waiting for it until it sends again.")
            .define(TRAINER_GLOBAL_MAX_LAG_MS_CONFIG, Type.LONG, 0L, Range.atLeast(0), Importance.LOW,
                    "Stream time the pooled model waits at most for the slowest active feedback partition, ms, counted from the most advanced one; 0: no bound (idle partitions are not waited for anyway). A bound may let a backlog replay train the pooled model on incomplete days.");

    private KelvinConfig(Map<String, ?> props) {
        super(CONFIG, props, false);
    }

    /** Builds a configuration from settings already merged; validates every key. */
    public static KelvinConfig of(Map<String, ?> settings) {
        for (String key : settings.keySet()) {
            if (key.startsWith(PREFIX) ? !CONFIG.names().contains(key) : !KafkaSettings.isKnown(key)) {
                // Not ConfigException(name, value, ...): that quotes the value, and a misspelt
                // sasl.jaas.config or password key would print its secret.
                throw new ConfigException("Unknown setting " + key + " (see the README's configuration table)");
            }
        }
        return new KelvinConfig(settings);
    }

    /**
     * Loads {@code topology/<role>.properties} from the class path, then {@code userFile} (may be
     * null), then environment overrides, then {@code overrides}.
     */
    public static KelvinConfig load(String role, Path userFile, Map<String, String> env, Map<String, String> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>();
        String resource = "kelvin/topology/" + role + ".properties";
        try (InputStream in = KelvinConfig.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("No shipped defaults for role '" + role + "' (" + resource + ")");
            }
            putAll(merged, in);
        } catch (IOException e) {
            throw new ConfigException("Cannot read " + resource + ": " + e.getMessage());
        }
        if (userFile != null) {
            try (Reader reader = Files.newBufferedReader(userFile)) {
                Properties props = new Properties();
                props.load(reader);
                props.stringPropertyNames().forEach(k -> merged.put(k, props.getProperty(k).trim()));
            } catch (IOException e) {
                throw new ConfigException("Cannot read config file " + userFile + ": " + e);
            }
        }
        merged.putAll(fromEnvironment(env));
        merged.putAll(overrides);
        return of(merged);
    }

    /** Settings named by {@code KELVIN_*} (Kelvin's) and {@code KAFKA_*} (Kafka's) variables. */
    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : CONFIG.names()) {
            String value = env.get(envName("KELVIN_", key.substring(PREFIX.length())));
            if (value != null) {
                out.put(key, value);
            }
        }
        for (String key : KafkaSettings.namesWithPrefixes()) {
            String value = env.get(envName("KAFKA_", key));
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    static String envName(String prefix, String key) {
        return prefix + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void putAll(Map<String, Object> target, InputStream in) throws IOException {
        Properties props = new Properties();
        props.load(in);
        props.stringPropertyNames().forEach(k -> target.put(k, props.getProperty(k).trim()));
    }

    /** Every setting that is not Kelvin's own: Kafka client and Streams settings, unchanged. */
    public Map<String, Object> kafkaSettings() {
        Map<String, Object> out = new LinkedHashMap<>();
        originals().forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The Kafka client settings only (for producers, consumers and admin clients beside Streams). */
    public Map<String, Object> clientSettings() {
        Map<String, Object> out = new LinkedHashMap<>();
        kafkaSettings().forEach((k, v) -> {
            if (KafkaSettings.isClientSetting(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    public String applicationId() {
        Object id = originals().get(StreamsConfig.APPLICATION_ID_CONFIG);
        return id == null ? null : id.toString();
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }
}
