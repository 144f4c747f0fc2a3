package io.kelvin.inference;

import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * ONNX operators Kelvin's graphs use that Tribuo's opset-13 {@code ONNXOperators} lacks, without
 * attributes, in the default domain. Shared by the exported thermal models and the models built
 * in code for the benchmark and tests.
 */
public enum KelvinOnnxOperators implements ONNXOperator {
    /** {@code max(0, x)} element-wise: the hinge of the thermal terms, the energy clip, an MLP's activation. */
    RELU("Relu", 1, 14),
    /** Matrix product with numpy broadcasting. */
    MAT_MUL("MatMul", 2, 13);

    private final String opName;
    private final int inputs;
    private final int sinceVersion;

    KelvinOnnxOperators(String opName, int inputs, int sinceVersion) {
        this.opName = opName;
        this.inputs = inputs;
        this.sinceVersion = sinceVersion;
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return Map.of();
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Set.of();
    }

    @Override
    public int getOpVersion() {
        return sinceVersion;
    }

    /** The default ONNX domain (the node carries none). */
    @Override
    public String getOpDomain() {
        return null;
    }
}
