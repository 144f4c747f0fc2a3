package io.kelvin.inference;

import io.kelvin.config.KelvinConfig;

/**
 * How the {@link InferenceEngine} runs models: the device asked for, ONNX Runtime's thread
 * counts per session, and the largest model it accepts.
 *
 * @param device         what {@code kelvin.inference.device} asks for
 * @param intraOpThreads threads within one operator; 0 lets ONNX Runtime choose (one per core)
 * @param interOpThreads threads across independent operators; 0 lets ONNX Runtime choose, 1 runs
 *                       operators one after another
 * @param maxModelBytes  largest ONNX model accepted, bytes
 */
public record InferenceSettings(RequestedDevice device, int intraOpThreads, int interOpThreads, int maxModelBytes) {

    public InferenceSettings {
        if (device == null) {
            throw new IllegalArgumentException("device must be set (auto, cpu or cuda)");
        }
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be 0 (ONNX Runtime chooses) or more, got intra-op "
                    + intraOpThreads + ", inter-op " + interOpThreads);
        }
        if (maxModelBytes < 1) {
            throw new IllegalArgumentException("maxModelBytes must be positive, got " + maxModelBytes);
        }
    }

    /** The {@code kelvin.inference.*} and {@code kelvin.models.max.bytes} settings. */
    public static InferenceSettings from(KelvinConfig config) {
        return new InferenceSettings(
                RequestedDevice.parse(config.getString(KelvinConfig.INFERENCE_DEVICE_CONFIG)),
                config.getInt(KelvinConfig.INFERENCE_INTRA_OP_THREADS_CONFIG),
                config.getInt(KelvinConfig.INFERENCE_INTER_OP_THREADS_CONFIG),
                config.getInt(KelvinConfig.MODELS_MAX_BYTES_CONFIG));
    }

    /** Kelvin's shipped defaults (from {@link KelvinConfig}'s definitions) with {@code device}. */
    public static InferenceSettings defaults(RequestedDevice device) {
        var defaults = KelvinConfig.configDef().defaultValues();
        return new InferenceSettings(device,
                (Integer) defaults.get(KelvinConfig.INFERENCE_INTRA_OP_THREADS_CONFIG),
                (Integer) defaults.get(KelvinConfig.INFERENCE_INTER_OP_THREADS_CONFIG),
                (Integer) defaults.get(KelvinConfig.MODELS_MAX_BYTES_CONFIG));
    }

    public InferenceSettings withThreads(int intraOp, int interOp) {
        return new InferenceSettings(device, intraOp, interOp, maxModelBytes);
    }

    public InferenceSettings withMaxModelBytes(int bytes) {
        return new InferenceSettings(device, intraOpThreads, interOpThreads, bytes);
    }
}
