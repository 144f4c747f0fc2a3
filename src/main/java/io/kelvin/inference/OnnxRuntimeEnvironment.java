package io.kelvin.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JVM's one {@link OrtEnvironment}, created on a thread with room to do so. ONNX Runtime 1.29
 * overflows a default 1 MB Java thread stack while creating its environment on some hosts (a
 * SIGSEGV without an hs_err file on Debian 12 / OpenJDK 17: fine with {@code -Xss2m}, fatal with
 * 1.5 MB); once created, sessions and runs are fine on ordinary threads. Creating it on a
 * dedicated {@value #STACK_BYTES}-byte-stack thread keeps every command working without JVM
 * flags, whichever thread asks first (a stream thread, the global thread, a test).
 */
public final class OnnxRuntimeEnvironment {
    static final long STACK_BYTES = 16L << 20;
    private static volatile OrtEnvironment environment;

    private OnnxRuntimeEnvironment() {}

    public static OrtEnvironment get() {
        OrtEnvironment known = environment;
        return known != null ? known : create();
    }

    private static synchronized OrtEnvironment create() {
        if (environment != null) {
            return environment;
        }
        AtomicReference<Object> created = new AtomicReference<>();
        Thread init = new Thread(null, () -> {
            try {
                created.set(OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "kelvin"));
            } catch (RuntimeException | Error e) {
                created.set(e);
            }
        }, "kelvin-onnxruntime-init", STACK_BYTES);
        init.start();
        try {
            init.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException("Interrupted while starting ONNX Runtime", e);
        }
        Object result = created.get();
        if (result instanceof OrtEnvironment env) {
            environment = env;
            return env;
        }
        throw new InferenceException("ONNX Runtime did not start: " + result, result instanceof Throwable t ? t : null);
    }
}
