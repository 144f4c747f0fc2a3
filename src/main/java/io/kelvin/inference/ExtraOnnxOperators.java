package io.kelvin.inference;

import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/** Opset-13 operators that Tribuo's {@link ONNXOperators} does not define, without attributes. */
enum ExtraOnnxOperators implements ONNXOperator {
    /** Element-wise {@code max(0, x)}. */
    RELU("Relu", 1),
    /** Matrix product with numpy broadcasting. */
    MAT_MUL("MatMul", 2);

    private final String opName;
    private final int inputs;

    ExtraOnnxOperators(String opName, int inputs) {
        this.opName = opName;
        this.inputs = inputs;
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
        return ONNXOperators.getOpsetVersion();
    }

    @Override
    public String getOpDomain() {
        return null;
    }
}
