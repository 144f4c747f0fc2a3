package io.kelvin.inference;

import io.kelvin.optimizer.FeatureBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/**
 * A contract-conforming model with made-up weights, for measuring inference when no trained
 * model is at hand: every known feature in, one hidden layer of {@value #HIDDEN} ReLU units,
 * energy and indoor temperature out. Its cost per row is of the order of a real Kelvin model
 * (a linear model over a few dozen engineered terms); its predictions mean nothing.
 */
public final class SyntheticModel {
    public static final String VERSION = "synthetic-mlp-1";
    static final int HIDDEN = 32;

    private SyntheticModel() {}

    /** The model file's bytes; the same bytes every time (fixed seed). */
    public static byte[] bytes() {
        List<String> features = FeatureBuilder.KNOWN_FEATURES;
        Random random = new Random(20_240_601L);
        ONNXContext ctx = new ONNXContext();
        ONNXPlaceholder input = ctx.floatInput(ModelContract.INPUT, features.size());
        ONNXPlaceholder output = ctx.floatOutput(ModelContract.OUTPUT, ModelContract.OUTPUT_WIDTH);
        ONNXNode hidden = input.apply(ONNXOperators.GEMM, List.of(
                weights(ctx, "w1", features.size(), HIDDEN, random), bias(ctx, "b1", HIDDEN, random)))
                .apply(KelvinOnnxOperators.RELU);
        hidden.apply(ONNXOperators.GEMM, List.of(
                        weights(ctx, "w2", HIDDEN, ModelContract.OUTPUT_WIDTH, random),
                        bias(ctx, "b2", ModelContract.OUTPUT_WIDTH, random)))
                .assignTo(output);
        ctx.setName("kelvin-synthetic");
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(ModelContract.META_FEATURE_NAMES, String.join(",", features));
        metadata.put(ModelContract.META_VERSION, VERSION);
        metadata.put(ModelContract.META_PRODUCER, "kelvin-bench");
        metadata.put(ModelContract.META_METHOD, "synthetic-mlp-" + features.size() + "x" + HIDDEN + "x" + ModelContract.OUTPUT_WIDTH);
        return OnnxModelAssembler.assemble(ctx.buildGraph(), metadata, "kelvin");
    }

    private static ONNXInitializer weights(ONNXContext ctx, String name, int rows, int cols, Random random) {
        double scale = 1.0 / Math.sqrt(rows);
        return ctx.floatTensor(name, List.of(rows, cols), buffer -> {
            for (int i = 0; i < rows * cols; i++) {
                buffer.put((float) (random.nextGaussian() * scale));
            }
        });
    }

    private static ONNXInitializer bias(ONNXContext ctx, String name, int size, Random random) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (random.nextGaussian() * 0.1);
        }
        return ctx.array(name, values);
    }
}
