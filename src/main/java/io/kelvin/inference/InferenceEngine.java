package io.kelvin.inference;

import static io.kelvin.inference.ModelRejectedException.Reason.TOO_LARGE;
import static io.kelvin.inference.ModelRejectedException.Reason.UNREADABLE;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.kelvin.config.KelvinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ONNX models with ONNX Runtime: owns the runtime environment, decides the device once at
 * creation, and turns model bytes into validated {@link OnnxModel}s. Create one per JVM and share
 * it between stream threads; {@link #load} and every model's {@code predict} are thread-safe.
 *
 * <p>Device: {@code cpu}; {@code cuda}, which fails here with a {@link DeviceUnavailableException}
 * naming what is missing when CUDA cannot be used; or {@code auto}, which uses CUDA when it works
 * and otherwise CPU, with one log line and the {@value InferenceMetrics#DEVICE} gauge's {@code
 * device} tag saying so.
 *
 * <p>A model is validated before it is returned (see {@link ModelRejectedException.Reason});
 * a rejected one leaves nothing open. Closing the engine retires every model it loaded.
 *
 * <p>Every session gets its own ONNX Runtime thread pools of the configured sizes. With the
 * default of one intra-op thread a call runs on the calling stream thread alone; with 0 (one per
 * core) a fleet of building models would start a pool per model.
 */
public final class InferenceEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InferenceEngine.class);

    private final OrtEnvironment env;
    private final InferenceSettings settings;
    private final InferenceDevice device;
    private final Optional<String> cudaUnavailable;
    private final InferenceMetrics metrics;
    /** Per thread, shared by all models: a thread runs one call at a time. */
    private final ThreadLocal<NativeBuffers> buffers = ThreadLocal.withInitial(NativeBuffers::new);
    /** Models whose native session is still open (retired ones may be finishing a call). */
    private final Set<OnnxModel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private InferenceEngine(OrtEnvironment env, InferenceSettings settings, InferenceDevice device,
                            Optional<String> cudaUnavailable, MeterRegistry registry) {
        this.env = env;
        this.settings = settings;
        this.device = device;
        this.cudaUnavailable = cudaUnavailable;
        this.metrics = new InferenceMetrics(registry, settings.device(), device, open::size);
    }

    /** An engine with the {@code kelvin.inference.*} and {@code kelvin.models.max.bytes} settings. */
    public static InferenceEngine create(KelvinConfig config, MeterRegistry registry) {
        return create(InferenceSettings.from(config), registry);
    }

    /** An engine with explicit settings (the benchmark, tests). */
    public static InferenceEngine create(InferenceSettings settings, MeterRegistry registry) {
        return create(settings, registry, CudaProbe.onnxRuntime());
    }

    /**
     * An engine whose CUDA check is {@code cudaProbe}.
     *
     * @throws DeviceUnavailableException when {@code cuda} is requested and the probe says no
     */
    public static InferenceEngine create(InferenceSettings settings, MeterRegistry registry, CudaProbe cudaProbe) {
        OrtEnvironment env = OnnxRuntimeEnvironment.get();
        Optional<CudaProbe.Unavailable> unavailable = settings.device() == RequestedDevice.CPU
                ? Optional.empty() : cudaProbe.check(env);
        InferenceDevice device = switch (settings.device()) {
            case CPU -> InferenceDevice.CPU;
            case CUDA -> {
                if (unavailable.isPresent()) {
                    throw new DeviceUnavailableException("kelvin.inference.device=cuda, but CUDA cannot be used: "
                            + unavailable.get().reason() + ". " + CudaProbe.GPU_RUNTIME_REQUIREMENTS
                            + " Set kelvin.inference.device=auto to fall back to CPU, or cpu.");
                }
                yield InferenceDevice.CUDA;
            }
            case AUTO -> unavailable.isPresent() ? InferenceDevice.CPU : InferenceDevice.CUDA;
        };
        if (settings.device() == RequestedDevice.AUTO) {
            logAutoChoice(unavailable);
        }
        return new InferenceEngine(env, settings, device, unavailable.map(CudaProbe.Unavailable::reason), registry);
    }

    /**
     * One line. WARN when a GPU build could not start CUDA (someone meant to use the GPU); INFO on
     * the CPU build, where CPU is the expected outcome of {@code auto}.
     */
    private static void logAutoChoice(Optional<CudaProbe.Unavailable> unavailable) {
        if (unavailable.isEmpty()) {
            log.info("kelvin.inference.device=auto: running models on CUDA");
        } else if (unavailable.get().gpuBuild()) {
            log.warn("kelvin.inference.device=auto: running models on CPU because {}. {}",
                    unavailable.get().reason(), CudaProbe.GPU_RUNTIME_REQUIREMENTS);
        } else {
            log.info("kelvin.inference.device=auto: running models on CPU; {}", unavailable.get().reason());
        }
    }

    /** Where models run. */
    public InferenceDevice device() {
        return device;
    }

    /** Why CUDA was not used, when {@code auto} fell back to CPU (empty when CUDA is in use or {@code cpu} was asked for). */
    public Optional<String> cudaUnavailableReason() {
        return cudaUnavailable;
    }

    public InferenceSettings settings() {
        return settings;
    }

    /** The ONNX Runtime version, for reports and the benchmark. */
    public String onnxRuntimeVersion() {
        return env.getVersion();
    }

    /** Native sessions open now, including retired models still finishing a call. */
    public int openSessions() {
        return open.size();
    }

    /**
     * Loads and validates a model.
     *
     * @param modelKey  a building id, {@value ModelContract#GLOBAL_KEY} or {@value ModelContract#BUNDLED_KEY};
     *                  decides the {@code model_kind} metric tag
     * @param onnxBytes the ONNX model file
     * @throws ModelRejectedException when the model may not serve, with the reason
     */
    public OnnxModel load(String modelKey, byte[] onnxBytes) throws ModelRejectedException {
        if (closed) {
            throw new IllegalStateException("The inference engine is closed");
        }
        if (modelKey == null || modelKey.isBlank()) {
            throw new IllegalArgumentException("modelKey must not be blank");
        }
        try {
            return validated(modelKey, onnxBytes);
        } catch (ModelRejectedException e) {
            metrics.rejected(e.reason());
            throw e;
        }
    }

    private OnnxModel validated(String modelKey, byte[] bytes) throws ModelRejectedException {
        if (bytes.length > settings.maxModelBytes()) {
            throw new ModelRejectedException(TOO_LARGE, bytes.length + " bytes, larger than kelvin.models.max.bytes="
                    + settings.maxModelBytes());
        }
        OrtSession session = createSession(bytes);
        ModelContractCheck.Contract contract;
        try {
            contract = ModelContractCheck.declared(session);
        } catch (ModelRejectedException | OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof ModelRejectedException rejected) {
                throw rejected;
            }
            throw new ModelRejectedException(UNREADABLE, "ONNX Runtime cannot describe the model: " + e.getMessage(), e);
        }
        OnnxModel model = new OnnxModel(modelKey, contract, sha256(bytes), device, env, session, buffers::get,
                metrics.forModel(modelKey), open::remove);
        open.add(model);
        try {
            ModelContractCheck.probe(model);
        } catch (ModelRejectedException | RuntimeException e) {
            model.close();
            throw e;
        }
        if (closed) {
            // the engine closed while this model was being checked: it must not outlive the engine
            model.close();
            throw new IllegalStateException("The inference engine is closed");
        }
        log.debug("Loaded model {} for key {} on {}: {} features", contract.version(), modelKey, device.tag(),
                contract.featureNames().size());
        return model;
    }

    private OrtSession createSession(byte[] bytes) throws ModelRejectedException {
        try (OrtSession.SessionOptions options = sessionOptions()) {
            return env.createSession(bytes, options);
        } catch (OrtException e) {
            throw new ModelRejectedException(UNREADABLE, "ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    private OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(settings.interOpThreads());
            // Inter-op threads only act in parallel mode; one thread means operators run in order.
            options.setExecutionMode(settings.interOpThreads() == 1
                    ? OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL
                    : OrtSession.SessionOptions.ExecutionMode.PARALLEL);
            if (device == InferenceDevice.CUDA) {
                options.addCUDA(0);
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            log.warn("Closing the session of a rejected model failed", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /**
     * Retires every model this engine loaded; each session closes when its last call in flight
     * returns. Loading afterwards fails. The ONNX Runtime environment itself lives as long as
     * the JVM (ONNX Runtime keeps one per process).
     */
    @Override
    public void close() {
        closed = true;
        for (OnnxModel model : open) {
            model.close();
        }
    }
}
