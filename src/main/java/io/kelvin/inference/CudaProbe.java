package io.kelvin.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.Optional;
import org.tribuo.util.onnx.ONNXContext;

/**
 * Finds out whether ONNX Runtime can run sessions on CUDA here. The engine asks once, at
 * creation. {@link #onnxRuntime()} is the real check; tests inject others to play a GPU build
 * whose CUDA libraries are missing.
 */
@FunctionalInterface
public interface CudaProbe {

    /** What the GPU build needs at run time; part of every message that says CUDA is unavailable. */
    String GPU_RUNTIME_REQUIREMENTS = "The GPU build (com.microsoft.onnxruntime:onnxruntime_gpu 1.29, mvn -Pgpu package) "
            + "needs an NVIDIA driver, the CUDA 12 runtime 12.8 or newer with cuBLAS, and cuDNN 9, "
            + "all on the library path (LD_LIBRARY_PATH).";

    /** Empty when sessions can use the CUDA execution provider; otherwise why not. */
    Optional<Unavailable> check(OrtEnvironment env);

    /**
     * Why CUDA cannot be used.
     *
     * @param gpuBuild true when this ONNX Runtime build has the CUDA provider but it failed to
     *                 start (libraries or device missing): somebody meant to run on a GPU
     * @param reason   what is missing, in words
     */
    record Unavailable(boolean gpuBuild, String reason) {}

    /**
     * The real check: the CUDA provider is compiled into this ONNX Runtime build, it loads (its
     * CUDA and cuDNN libraries are found), and a one-node model runs on device 0.
     */
    static CudaProbe onnxRuntime() {
        return env -> {
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                return Optional.of(new Unavailable(false, "this ONNX Runtime build has no CUDA execution provider "
                        + "(the CPU artifact com.microsoft.onnxruntime:onnxruntime is on the class path, not onnxruntime_gpu)"));
            }
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.addCUDA(0);
                try (OrtSession session = env.createSession(identityModel(), options);
                     OnnxTensor x = OnnxTensor.createTensor(env, new float[][] {{1f, 2f}})) {
                    session.run(Map.of("x", x)).close();
                    return Optional.empty();
                }
            } catch (OrtException | RuntimeException | LinkageError e) {
                return Optional.of(new Unavailable(true, "the CUDA execution provider did not start: " + e.getMessage()));
            }
        };
    }

    /** y = x for float32 [N, 2]: the smallest model that makes the provider touch the device. */
    private static byte[] identityModel() {
        ONNXContext ctx = new ONNXContext();
        ctx.assignTo(ctx.floatInput("x", 2), ctx.floatOutput("y", 2));
        return OnnxModelAssembler.assemble(ctx.buildGraph(), Map.of(), "kelvin-cuda-probe");
    }
}
