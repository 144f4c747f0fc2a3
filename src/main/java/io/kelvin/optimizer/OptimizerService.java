package io.kelvin.optimizer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.config.StreamsRuntime;
import io.kelvin.errors.DeadLetters;
import io.kelvin.inference.InferenceEngine;
import io.kelvin.inference.ModelContract;
import io.kelvin.inference.ModelRejectedException;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import io.kelvin.ops.ServiceStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running optimizer: its inference engine and models, and the topology on a
 * {@link StreamsRuntime}. Close it to stop cleanly (state stays on disk for the next start).
 */
public final class OptimizerService implements AutoCloseable, ServiceStatus {
    private static final Logger log = LoggerFactory.getLogger(OptimizerService.class);

    private final SchemaRegistryClient registry;
    private final StreamsRuntime streams;
    private final OptimizerMetrics metrics;
    private final DeadLetters deadLetters;
    private final InferenceEngine engine;
    private final ModelCatalog models;
    private final BuildingWatchdog watchdog;
    private final ScheduledExecutorService watchdogTimer;

    private OptimizerService(KelvinConfig config, MeterRegistry meters, Clock clock) {
        this.engine = InferenceEngine.create(config, meters);
        this.models = new ModelCatalog(engine::load, ModelSource.fromConfig(config), meters);
        loadBundledModel(config);
        this.registry = SchemaRegistries.open(config);
        KelvinSerdes serdes = new KelvinSerdes(registry);
        TopicCatalogue topics = new TopicCatalogue(config, serdes);
        this.metrics = new OptimizerMetrics(meters);
        this.deadLetters = new DeadLetters(topics.deadLetters().name(), meters);
        this.watchdog = BuildingWatchdog.fromConfig(config, clock).bindTo(meters);
        this.streams = new StreamsRuntime("Optimizer", OptimizerTopology.build(config, topics, models, clock, metrics, watchdog),
                OptimizerTopology.streamsProperties(config, deadLetters), meters, false);
        this.watchdogTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kelvin-watchdog");
            t.setDaemon(true);
            return t;
        });
        long checkMs = config.getLong(KelvinConfig.WATCHDOG_CHECK_INTERVAL_MS_CONFIG);
        watchdogTimer.scheduleWithFixedDelay(this::checkStaleBuildings, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }

    private void checkStaleBuildings() {
        try {
            watchdog.check();
        } catch (RuntimeException e) {
            log.warn("Stale-building check failed", e); // the next check runs anyway
        }
    }

    /**
     * Builds and starts the optimizer; returns at once (use {@link #awaitRunning}).
     *
     * @throws IllegalStateException when the configured bundled model cannot be loaded (a
     *     packaging or configuration error, reported before anything starts)
     */
    public static OptimizerService start(KelvinConfig config, MeterRegistry meters, Clock clock) {
        OptimizerService service = new OptimizerService(config, meters, clock);
        service.streams.start();
        return service;
    }

    /** Waits until every task is assigned and processing; false after {@code timeout}. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return streams.awaitRunning(timeout);
    }

    public OptimizerMetrics metrics() {
        return metrics;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /** Buildings of this instance and when each was last commanded. */
    public BuildingWatchdog watchdog() {
        return watchdog;
    }

    @Override
    public String role() {
        return "optimizer";
    }

    @Override
    public KafkaStreams.State streamsState() {
        return streams.state();
    }

    /**
     * Only why Kafka Streams stopped itself, when it did (a missing ACL): a building without a
     * usable model is decided by its schedule rule (FALLBACK), which needs no model, so the
     * optimizer can always decide while Kafka Streams runs.
     */
    @Override
    public List<String> notReadyReasons() {
        return streams.failure().map(List::of).orElse(List.of());
    }

    @Override
    public Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("topology", streams.topologyInfo());
        info.put("models", models.versions());
        info.put("decisionSource", models.versions().isEmpty() ? "fallback (schedule rule) for every building" : "models, fallback where none applies");
        info.put("rejectedReleases", models.rejections().stream()
                .map(r -> Map.of("key", r.modelKey(), "version", String.valueOf(r.version()), "reason", r.reason())).toList());
        info.put("staleBuildings", watchdog.staleBuildings());
        return info;
    }

    /** The models serving, for status pages and tests. */
    public ModelCatalog models() {
        return models;
    }

    /** The cold-start model of {@code kelvin.models.bundled}, under {@value ModelContract#BUNDLED_KEY}. */
    private void loadBundledModel(KelvinConfig config) {
        String spec = config.getString(KelvinConfig.MODELS_BUNDLED_CONFIG);
        if (spec == null || spec.isBlank()) {
            log.info("No bundled model ({} is empty): buildings without a model of their own use the schedule rule",
                    KelvinConfig.MODELS_BUNDLED_CONFIG);
            return;
        }
        try {
            models.install(ModelContract.BUNDLED_KEY, engine.load(ModelContract.BUNDLED_KEY, ModelSource.read(spec)));
        } catch (IOException | ModelRejectedException e) {
            engine.close();
            throw new IllegalStateException("Cannot load the bundled model " + spec + " (" + KelvinConfig.MODELS_BUNDLED_CONFIG + "): " + e.getMessage(), e);
        }
        log.info("Bundled model {} loaded from {} on {}", models.versionOf(ModelContract.BUNDLED_KEY).orElse("?"), spec, engine.device());
    }

    @Override
    public void close() {
        watchdogTimer.shutdownNow();
        streams.close();
        registry.close();
        models.close();
        engine.close();
    }
}
