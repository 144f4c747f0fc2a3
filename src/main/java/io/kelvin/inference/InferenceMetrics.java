package io.kelvin.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The inference engine's meters (Prometheus names in brackets). Models are tagged by kind
 * ({@code building}, {@code global}, {@code bundled}), never by building id: a fleet has
 * thousands of building models and one time series each would swamp Prometheus.
 */
public final class InferenceMetrics {
    /** Gauge = 1, tagged {@code requested} and {@code device} [kelvin_inference_device]. */
    public static final String DEVICE = "kelvin.inference.device";
    /** Timer of one predict call, tagged {@code model_kind} and {@code device} [kelvin_inference_latency_seconds]. */
    public static final String LATENCY = "kelvin.inference.latency";
    /** Rows per predict call, tagged {@code model_kind} [kelvin_inference_batch_rows]. */
    public static final String BATCH_ROWS = "kelvin.inference.batch.rows";
    /** Predict calls ONNX Runtime failed, tagged {@code model_kind} [kelvin_inference_errors_total]. */
    public static final String ERRORS = "kelvin.inference.errors";
    /** Models refused at load, tagged {@code reason} (a {@link ModelRejectedException.Reason} code) [kelvin_inference_models_rejected_total]. */
    public static final String REJECTED = "kelvin.inference.models.rejected";
    /** Native sessions open now, including retired ones still finishing a call [kelvin_inference_sessions_open]. */
    public static final String SESSIONS_OPEN = "kelvin.inference.sessions.open";

    private final MeterRegistry registry;
    private final InferenceDevice device;
    private final Map<String, ModelMeters> byKind = new ConcurrentHashMap<>();
    private final Map<ModelRejectedException.Reason, Counter> rejected = new ConcurrentHashMap<>();

    InferenceMetrics(MeterRegistry registry, RequestedDevice requested, InferenceDevice device, IntSupplier openSessions) {
        this.registry = registry;
        this.device = device;
        Gauge.builder(DEVICE, () -> 1)
                .description("Where ONNX Runtime runs models; requested differs from device when auto fell back to CPU")
                .tag("requested", requested.tag()).tag("device", device.tag())
                .register(registry);
        Gauge.builder(SESSIONS_OPEN, openSessions::getAsInt)
                .description("ONNX Runtime sessions open, including retired models still finishing a call")
                .register(registry);
    }

    /** {@code building}, {@code global} or {@code bundled}: the bounded tag a model key maps to. */
    public static String kindOf(String modelKey) {
        if (ModelContract.GLOBAL_KEY.equals(modelKey)) {
            return "global";
        }
        if (ModelContract.BUNDLED_KEY.equals(modelKey)) {
            return "bundled";
        }
        return "building";
    }

    ModelMeters forModel(String modelKey) {
        return byKind.computeIfAbsent(kindOf(modelKey), kind -> new ModelMeters(
                Timer.builder(LATENCY)
                        .description("Duration of one inference call, from copying the input to reading the output")
                        .tag("model_kind", kind).tag("device", device.tag())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry),
                DistributionSummary.builder(BATCH_ROWS)
                        .description("Rows (candidate setpoints across buildings) per inference call")
                        .tag("model_kind", kind)
                        .register(registry),
                Counter.builder(ERRORS)
                        .description("Inference calls that ONNX Runtime failed")
                        .tag("model_kind", kind)
                        .register(registry)));
    }

    void rejected(ModelRejectedException.Reason reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder(REJECTED)
                .description("Models refused at load, by reason")
                .tag("reason", r.code())
                .register(registry)).increment();
    }

    /** The meters one model kind shares. */
    record ModelMeters(Timer latency, DistributionSummary batchRows, Counter errors) {
        void call(long nanos, int rows) {
            latency.record(nanos, TimeUnit.NANOSECONDS);
            batchRows.record(rows);
        }
    }
}
