package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.InferenceEngine;
import io.kelvin.inference.ModelRejectedException;
import io.kelvin.inference.OnnxModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;

/**
 * Runs the optimizer's own model checks on the command line (on the CPU: the contract does not
 * depend on the device), so that what is published is what the optimizer will accept.
 */
final class ModelValidation implements AutoCloseable {
    private final InferenceEngine engine;

    ModelValidation(ConfigOptions options) {
        options.settings.put(KelvinConfig.INFERENCE_DEVICE_CONFIG, "cpu");
        this.engine = InferenceEngine.create(options.load(ProduceCommand.CONFIG_ROLE), new SimpleMeterRegistry());
    }

    /** The loaded model, or null after printing why it was rejected. */
    OnnxModel load(String key, byte[] onnx, PrintWriter err) {
        try {
            return engine.load(key, onnx);
        } catch (ModelRejectedException e) {
            err.println("Rejected (" + e.reason().code() + "): " + e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
