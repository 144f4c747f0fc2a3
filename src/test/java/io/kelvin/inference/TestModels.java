package io.kelvin.inference;

import ai.onnx.proto.OnnxMl;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Real ONNX models built in code: a linear model {@code prediction = features x W + b} that
 * follows the contract, and variants that break it one way each.
 */
public final class TestModels {
    /** Deliberately not in {@code KNOWN_FEATURES} order, so a test sees the metadata order win. */
    public static final List<String> FEATURES = List.of("outdoor_mean_c", "indoor_mean_c", "candidate_setpoint_c");
    /** Row i: how feature i moves (energy kWh, indoor degrees C). */
    static final float[][] WEIGHTS = {{-0.25f, 0.1f}, {0.5f, 0.6f}, {1.5f, 0.3f}};
    static final float[] BIAS = {2.0f, 0.5f};
    static final String VERSION = "linear-test-1";

    private String inputName = ModelContract.INPUT;
    private String outputName = ModelContract.OUTPUT;
    private int declaredWidth = FEATURES.size();
    private int outputWidth = ModelContract.OUTPUT_WIDTH;
    private Integer computedWidth;
    private Long fixedBatch;
    private boolean doubleInput;
    private boolean secondInput;
    private boolean nanOutput;
    private boolean batchDependent;
    private boolean batchMean;
    private boolean reshapeInPairs;
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private TestModels() {
        metadata.put(ModelContract.META_FEATURE_NAMES, String.join(",", FEATURES));
        metadata.put(ModelContract.META_VERSION, VERSION);
        metadata.put(ModelContract.META_PRODUCER, "kelvin-test");
    }

    /** The valid linear model, ready to vary. */
    public static TestModels linear() {
        return new TestModels();
    }

    /** The energy and indoor temperature the valid model predicts for one row, computed by hand. */
    static float[] expected(float... row) {
        float energy = BIAS[0];
        float indoor = BIAS[1];
        for (int i = 0; i < row.length; i++) {
            energy += row[i] * WEIGHTS[i][0];
            indoor += row[i] * WEIGHTS[i][1];
        }
        return new float[] {energy, indoor};
    }

    TestModels inputName(String name) {
        inputName = name;
        return this;
    }

    TestModels outputName(String name) {
        outputName = name;
        return this;
    }

    /** The graph takes this many columns (the extra ones weigh nothing), whatever the metadata says. */
    public TestModels declaredWidth(int width) {
        declaredWidth = width;
        return this;
    }

    public TestModels outputWidth(int width) {
        outputWidth = width;
        return this;
    }

    /** The graph computes this many outputs per row while declaring {@link #outputWidth}. */
    TestModels computedWidth(int width) {
        computedWidth = width;
        return this;
    }

    TestModels fixedBatch(long rows) {
        fixedBatch = rows;
        return this;
    }

    /** Input declared float64, cast to float32 inside the graph. */
    TestModels doubleInput() {
        doubleInput = true;
        return this;
    }

    /** A second, unused graph input. */
    TestModels secondInput() {
        secondInput = true;
        return this;
    }

    /** Multiplies the prediction by 0 and divides by 0: NaN for every row. */
    public TestModels nanOutput() {
        nanOutput = true;
        return this;
    }

    /** Subtracts the batch mean of the prediction: each row depends on its neighbours. */
    TestModels batchDependent() {
        batchDependent = true;
        return this;
    }

    /** Replaces the prediction by its mean over the batch: one row out, whatever came in. */
    TestModels batchMean() {
        batchMean = true;
        return this;
    }

    /**
     * Computes three values per row and reshapes them into pairs: fine for an even number of
     * rows, an ONNX Runtime error for an odd one. Its declared shapes are all in order.
     */
    TestModels reshapeInPairs() {
        reshapeInPairs = true;
        computedWidth = 3;
        return this;
    }

    public TestModels metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    TestModels withoutMetadata(String key) {
        metadata.remove(key);
        return this;
    }

    public byte[] bytes() {
        ONNXContext ctx = new ONNXContext();
        ONNXPlaceholder input = ctx.floatInput(inputName, declaredWidth);
        ONNXRef<?> features = doubleInput ? input.cast(float.class) : input;
        ONNXPlaceholder output = ctx.floatOutput(outputName, outputWidth);
        int computed = computedWidth == null ? outputWidth : computedWidth;
        ONNXNode prediction = features.apply(ONNXOperators.GEMM, List.of(
                ctx.floatTensor("weights", List.of(declaredWidth, computed), b -> fillWeights(b, computed)),
                ctx.floatTensor("bias", List.of(computed), b -> {
                    for (int k = 0; k < computed; k++) {
                        b.put(k < BIAS.length ? BIAS[k] : 0f);
                    }
                })));
        if (nanOutput) {
            prediction = prediction.apply(ONNXOperators.MUL, ctx.constant("zero", 0f))
                    .apply(ONNXOperators.DIV, ctx.constant("zero", 0f));
        }
        if (batchDependent) {
            ONNXNode mean = prediction.apply(ONNXOperators.REDUCE_MEAN, Map.of("axes", new int[] {0}, "keepdims", 1));
            prediction = prediction.apply(ONNXOperators.SUB, mean);
        }
        if (batchMean) {
            prediction = prediction.apply(ONNXOperators.REDUCE_MEAN, Map.of("axes", new int[] {0}, "keepdims", 1));
        }
        if (reshapeInPairs) {
            prediction = prediction.apply(Reshape.OPERATOR, ctx.array("pairs", new long[] {-1, 2}));
        }
        prediction.assignTo(output);
        OnnxMl.GraphProto graph = patch(ctx.buildGraph());
        return OnnxModelAssembler.assemble(graph, metadata, "kelvin-test");
    }

    private void fillWeights(FloatBuffer buffer, int columns) {
        for (int i = 0; i < declaredWidth; i++) {
            for (int k = 0; k < columns; k++) {
                buffer.put(i < WEIGHTS.length && k < WEIGHTS[i].length ? WEIGHTS[i][k] : 0f);
            }
        }
    }

    /** What ONNXContext cannot declare: a fixed batch, a float64 input, a second input. */
    private OnnxMl.GraphProto patch(OnnxMl.GraphProto graph) {
        OnnxMl.GraphProto.Builder builder = graph.toBuilder();
        OnnxMl.TypeProto.Tensor.Builder tensor = builder.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder();
        if (fixedBatch != null) {
            tensor.getShapeBuilder().getDimBuilder(0).clearDimParam().setDimValue(fixedBatch);
        }
        if (doubleInput) {
            tensor.setElemType(OnnxMl.TensorProto.DataType.DOUBLE.getNumber());
        }
        if (secondInput) {
            OnnxMl.ValueInfoProto first = builder.getInput(0);
            builder.addInput(first.toBuilder().setName("mask"));
        }
        return builder.build();
    }

    /** ONNX Reshape (opset 13), which Tribuo's ONNXOperators lacks; only tests need it. */
    enum Reshape implements ONNXOperator {
        OPERATOR;

        public String getOpName() {
            return "Reshape";
        }

        public int getNumInputs() {
            return 2;
        }

        public int getNumOptionalInputs() {
            return 0;
        }

        public int getNumOutputs() {
            return 1;
        }

        public Map<String, ONNXAttribute> getAttributes() {
            return Map.of();
        }

        public Set<String> getMandatoryAttributeNames() {
            return Set.of();
        }

        public int getOpVersion() {
            return ONNXOperators.getOpsetVersion();
        }

        public String getOpDomain() {
            return null;
        }
    }

    /** The first half of the valid model's file: what an interrupted upload leaves. */
    static byte[] truncated() {
        byte[] bytes = linear().bytes();
        return Arrays.copyOf(bytes, bytes.length / 2);
    }
}
