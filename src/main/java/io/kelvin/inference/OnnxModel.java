package io.kelvin.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.kelvin.optimizer.PredictionModel;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validated ONNX model, ready to predict; made by {@link InferenceEngine#load}. Thread-safe:
 * any number of threads may call {@link #predict} at once.
 *
 * <p>Closing is safe while calls run: {@link #close()} retires the model at once (a call that
 * starts afterwards gets a {@link ModelClosedException} and touches nothing native), and the
 * native session is closed by whichever finishes last, the close or the last call in flight.
 * Closing a session under a running call can crash the JVM, so this is a reference count, not a
 * flag: the model holds one reference until closed, and each call holds one while it runs.
 */
public final class OnnxModel implements PredictionModel, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OnnxModel.class);

    private final String modelKey;
    private final String version;
    private final List<String> featureNames;
    private final Map<String, String> metadata;
    private final String sha256;
    private final InferenceDevice device;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Supplier<NativeBuffers> buffers;
    private final InferenceMetrics.ModelMeters meters;
    private final Consumer<OnnxModel> onSessionClosed;

    /** 1 for the model itself until closed, plus 1 per call in flight; the session closes at 0. */
    private final AtomicLong references = new AtomicLong(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    private volatile boolean sessionClosed;
    /** Runs inside a call, after it holds its reference; lets a test hold a call in flight. */
    private volatile Runnable inFlightHook = () -> {};

    OnnxModel(String modelKey, ModelContractCheck.Contract contract, String sha256, InferenceDevice device,
              OrtEnvironment env, OrtSession session, Supplier<NativeBuffers> buffers,
              InferenceMetrics.ModelMeters meters, Consumer<OnnxModel> onSessionClosed) {
        this.modelKey = modelKey;
        this.version = contract.version();
        this.featureNames = contract.featureNames();
        this.metadata = contract.metadata();
        this.sha256 = sha256;
        this.device = device;
        this.env = env;
        this.session = session;
        this.buffers = buffers;
        this.meters = meters;
        this.onSessionClosed = onSessionClosed;
    }

    /** The key it was loaded under: a building id, {@value ModelContract#GLOBAL_KEY} or {@value ModelContract#BUNDLED_KEY}. */
    public String modelKey() {
        return modelKey;
    }

    /** {@value ModelContract#META_VERSION} from its metadata. */
    @Override
    public String version() {
        return version;
    }

    /** {@value ModelContract#META_FEATURE_NAMES} from its metadata, in input column order. */
    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    /** Every {@code metadata_props} entry of the model file, unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** SHA-256 of the model file, lower-case hex: identifies the exact bytes that run. */
    public String sha256() {
        return sha256;
    }

    public InferenceDevice device() {
        return device;
    }

    /** True once {@link #close()} was called; calls in flight may still be finishing. */
    public boolean isClosed() {
        return retired.get();
    }

    /**
     * Predicts {@code rows} rows into {@code out} ({@code out[2i]} energy kWh, {@code out[2i+1]}
     * indoor degrees C); see {@link PredictionModel#predict}.
     *
     * @throws ModelClosedException when the model was closed before the call started
     * @throws InferenceException   when ONNX Runtime fails
     * @throws IllegalArgumentException when the arrays are shorter than {@code rows} needs
     */
    @Override
    public void predict(float[] features, int rows, float[] out) {
        long start = System.nanoTime();
        try {
            run(features, rows, out);
        } catch (ModelClosedException e) {
            throw e;
        } catch (InferenceException e) {
            meters.errors().increment();
            throw e;
        }
        meters.call(System.nanoTime() - start, rows);
    }

    /** The call itself, without metrics: what validation probes with. */
    void run(float[] features, int rows, float[] out) {
        int width = featureNames.size();
        checkArguments(features, rows, out, width);
        if (!acquire()) {
            throw new ModelClosedException(modelKey, version);
        }
        try {
            inFlightHook.run();
            NativeBuffers local = buffers.get();
            FloatBuffer input = local.input(rows * width);
            input.put(features, 0, rows * width).flip();
            FloatBuffer output = local.output(rows * ModelContract.OUTPUT_WIDTH);
            try (OnnxTensor in = OnnxTensor.createTensor(env, input, new long[] {rows, width});
                 OnnxTensor pinned = OnnxTensor.createTensor(env, output, new long[] {rows, ModelContract.OUTPUT_WIDTH})) {
                // The output is pinned to our buffer: ONNX Runtime writes the predictions straight into it.
                session.run(Map.of(ModelContract.INPUT, in), Map.of(ModelContract.OUTPUT, pinned)).close();
                output.rewind();
                output.get(out, 0, rows * ModelContract.OUTPUT_WIDTH);
            }
        } catch (OrtException e) {
            throw new InferenceException("ONNX Runtime failed on model " + version + " (key " + modelKey + ", "
                    + rows + " rows): " + e.getMessage(), e);
        } finally {
            release();
        }
    }

    private static void checkArguments(float[] features, int rows, float[] out, int width) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be at least 1, got " + rows);
        }
        long in = (long) rows * width;
        long outputs = (long) rows * ModelContract.OUTPUT_WIDTH;
        if (features.length < in) {
            throw new IllegalArgumentException(rows + " rows of " + width + " features need " + in
                    + " floats, the input array has " + features.length);
        }
        if (out.length < outputs) {
            throw new IllegalArgumentException(rows + " rows need " + outputs + " output floats, the output array has " + out.length);
        }
    }

    /** Retires the model; the session closes now, or when the last call in flight returns. Idempotent. */
    @Override
    public void close() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
    }

    /** Takes a reference for one call, unless the model is retired or the session already closed. */
    private boolean acquire() {
        if (retired.get()) {
            return false;
        }
        long n;
        do {
            n = references.get();
            if (n == 0) {
                return false;
            }
        } while (!references.compareAndSet(n, n + 1));
        if (retired.get()) {
            // closed between the two checks: give the reference back without running
            release();
            return false;
        }
        return true;
    }

    private void release() {
        if (references.decrementAndGet() == 0) {
            try {
                session.close();
            } catch (OrtException e) {
                log.warn("Closing the session of model {} (key {}) failed", version, modelKey, e);
            }
            sessionClosed = true;
            onSessionClosed.accept(this);
        }
    }

    /** True once the native session is closed (after {@link #close()} and the last call in flight). */
    boolean isSessionClosed() {
        return sessionClosed;
    }

    void inFlightHook(Runnable hook) {
        this.inFlightHook = hook;
    }

    @Override
    public String toString() {
        return "OnnxModel[key=" + modelKey + ", version=" + version + ", features=" + featureNames.size()
                + ", device=" + device.tag() + (retired.get() ? ", closed" : "") + "]";
    }
}
