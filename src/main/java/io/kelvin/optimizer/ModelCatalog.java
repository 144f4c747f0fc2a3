package io.kelvin.optimizer;

import io.kelvin.inference.ModelContract;
import io.kelvin.inference.ModelRejectedException;
import io.kelvin.inference.ModelRejectedException.Reason;
import io.kelvin.schema.ModelRelease;
import io.micrometer.core.instrument.Counter;
import io.kelvin.inference.InferenceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this optimizer serves, by model key: a building id, {@value ModelContract#GLOBAL_KEY}
 * or {@value ModelContract#BUNDLED_KEY}. A building is ranked by its own model, else the global
 * one, else the bundled one; with none, the optimizer uses the schedule rule.
 *
 * <p>Releases from {@code kelvin.models} arrive through {@link #apply}: each is fetched, checked
 * against its declared digest and features, loaded and probed by the {@link ModelLoader} before it
 * replaces anything, so a bad release is rejected (log line, counter by reason, kept in
 * {@link #rejections()}) while the model before it keeps serving. A replaced model is closed; an
 * ONNX model closes its session only after the last call using it returns, so a stream thread
 * that picked it up just before the swap finishes safely.
 *
 * <p>One per optimizer process, shared by its stream threads (lookups) and its global thread
 * (releases).
 */
public final class ModelCatalog implements Predictor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);
    private static final int KEPT_REJECTIONS = 100;
    /**
     * Gauge = 1 per model key with the version serving it, tagged {@code key}, {@code kind} and
     * {@code version} [kelvin_model_version_info]. One series per model, so building models add a
     * series each: the price of seeing which version serves which building.
     */
    public static final String VERSION_INFO = "kelvin.model.version.info";

    /** Loads and validates ONNX bytes for a model key; the inference engine in production. */
    @FunctionalInterface
    public interface ModelLoader {
        PredictionModel load(String modelKey, byte[] onnx) throws ModelRejectedException;
    }

    /** A release that was refused, and why. */
    public record Rejection(String modelKey, String version, String reason, String message) {}

    private final ModelLoader loader;
    private final ModelSource source;
    private final MeterRegistry meters;
    private final Map<String, PredictionModel> models = new ConcurrentHashMap<>();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Rejection> rejections = new ConcurrentLinkedDeque<>();
    private final MultiGauge serving;

    public ModelCatalog(ModelLoader loader, ModelSource source, MeterRegistry meters) {
        this.loader = loader;
        this.source = source;
        this.meters = meters;
        this.serving = MultiGauge.builder(VERSION_INFO)
                .description("1 for each model key and the version serving it (key: a building id, __global__ or __bundled__)")
                .register(meters);
        // Registered before the first release, so that the series exist (at zero) from the start.
        for (String outcome : List.of("accepted", "withdrawn")) {
            outcomeCounter(outcome, "");
        }
    }

    @Override
    public Optional<PredictionModel> modelFor(String buildingId) {
        PredictionModel model = models.get(buildingId);
        if (model == null) {
            model = models.get(ModelContract.GLOBAL_KEY);
        }
        if (model == null) {
            model = models.get(ModelContract.BUNDLED_KEY);
        }
        return Optional.ofNullable(model);
    }

    /**
     * Validates {@code release} and, when it passes, makes it serve {@code key}; a null release
     * (a tombstone) withdraws the key's model. Returns whether the release now serves.
     */
    public boolean apply(String key, ModelRelease release) {
        if (release == null) {
            withdraw(key);
            return false;
        }
        PredictionModel serving = models.get(key);
        if (serving != null && serving.version().equals(release.getVersion())) {
            return true; // the same release again (a restore replays the topic): nothing to load
        }
        try {
            if (!key.equals(release.getModelKey())) {
                throw new ModelRejectedException(Reason.KEY_MISMATCH, "record key '" + key + "' differs from modelKey '" + release.getModelKey() + "'");
            }
            byte[] onnx = source.bytesOf(release);
            PredictionModel model = loader.load(key, onnx);
            if (!model.version().equals(release.getVersion()) || !model.featureNames().equals(release.getFeatureNames())) {
                closeQuietly(model);
                throw new ModelRejectedException(Reason.RELEASE_MISMATCH, "the release says version " + release.getVersion()
                        + " with features " + release.getFeatureNames() + " but the model's metadata says version "
                        + model.version() + " with features " + model.featureNames());
            }
            install(key, model);
            count("accepted", "");
            log.atInfo().addKeyValue("model_key", key).addKeyValue("model_version", model.version())
                    .log("Model {} version {} now serves key {} ({} features)", key, model.version(), key, model.featureNames().size());
            return true;
        } catch (ModelRejectedException e) {
            reject(key, release.getVersion(), e);
            return false;
        }
    }

    /** Makes {@code model} serve {@code key} at once, closing the one it replaces. */
    public void install(String key, PredictionModel model) {
        PredictionModel previous = models.put(key, model);
        if (previous != null && previous != model) {
            closeQuietly(previous);
        }
        publishVersions();
    }

    /** Replaces the rows of {@value #VERSION_INFO} with the models serving now. */
    private synchronized void publishVersions() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        versions().forEach((key, version) -> rows.add(MultiGauge.Row.of(
                Tags.of("key", key, "kind", InferenceMetrics.kindOf(key), "version", version), 1)));
        serving.register(rows, true);
    }

    /** The version serving {@code key} itself (no fallback along the lookup order). */
    public Optional<String> versionOf(String key) {
        return Optional.ofNullable(models.get(key)).map(PredictionModel::version);
    }

    /** Model key to serving version, sorted by key. */
    public Map<String, String> versions() {
        Map<String, String> out = new TreeMap<>();
        models.forEach((key, model) -> out.put(key, model.version()));
        return Collections.unmodifiableMap(out);
    }

    /** The most recent rejections, newest last. */
    public List<Rejection> rejections() {
        return List.copyOf(rejections);
    }

    /** Counts of releases by outcome and reason, as the metric {@code kelvin.model.releases} has them. */
    public double releases(String outcome, String reason) {
        Counter c = outcomes.get(outcome + "/" + reason);
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        models.values().forEach(ModelCatalog::closeQuietly);
        models.clear();
        publishVersions();
    }

    private void withdraw(String key) {
        PredictionModel previous = models.remove(key);
        if (previous != null) {
            publishVersions();
            closeQuietly(previous);
            count("withdrawn", "");
            log.info("Model {} version {} withdrawn; key {} now falls back along the lookup order", key, previous.version(), key);
        }
    }

    private void reject(String key, String version, ModelRejectedException e) {
        count("rejected", e.reason().code());
        rejections.addLast(new Rejection(key, version, e.reason().code(), e.getMessage()));
        while (rejections.size() > KEPT_REJECTIONS) {
            rejections.pollFirst();
        }
        String current = versionOf(key).orElse("none");
        log.atWarn().addKeyValue("model_key", key).addKeyValue("model_version", version).addKeyValue("reason", e.reason().code())
                .log("Model release {} version {} rejected ({}): {}; still serving {}", key, version, e.reason().code(), e.getMessage(), current);
    }

    private void count(String outcome, String reason) {
        outcomeCounter(outcome, reason).increment();
    }

    private Counter outcomeCounter(String outcome, String reason) {
        return outcomes.computeIfAbsent(outcome + "/" + reason, k -> Counter.builder("kelvin.model.releases")
                .description("Model releases by outcome (accepted, rejected, withdrawn) and rejection reason")
                .tag("outcome", outcome).tag("reason", reason).register(meters));
    }

    private static void closeQuietly(PredictionModel model) {
        if (model instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("Closing model {} failed", model.version(), e);
            }
        }
    }
}
