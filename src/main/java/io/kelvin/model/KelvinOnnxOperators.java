package io.kelvin.model;

import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/** ONNX operators Kelvin's graphs use that Tribuo's opset-13 {@code ONNXOperators} lacks. */
enum KelvinOnnxOperators implements ONNXOperator {
    /** {@code max(0, x)} element-wise: the hinge of the thermal terms and the energy clip. */
    RELU("Relu", 14);

    private final String opName;
    private final int sinceVersion;

    KelvinOnnxOperators(String opName, int sinceVersion) {
        this.opName = opName;
        this.sinceVersion = sinceVersion;
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return 1;
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
