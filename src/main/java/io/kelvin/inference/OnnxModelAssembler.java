package io.kelvin.inference;

import ai.onnx.proto.OnnxMl;
import java.util.Map;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * Wraps a graph built with Tribuo's {@link org.tribuo.util.onnx.ONNXContext} into the bytes of an
 * ONNX model file: opset 13 (what {@link ONNXOperators} and {@link KelvinOnnxOperators} define),
 * IR version 8, and the given {@code metadata_props}.
 */
final class OnnxModelAssembler {
    /** IR version 8 is the oldest that opset 13 allows with every feature used here; ONNX Runtime 1.14+ reads it. */
    static final long IR_VERSION = 8;

    private OnnxModelAssembler() {}

    static byte[] assemble(OnnxMl.GraphProto graph, Map<String, String> metadata, String producer) {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(ONNXOperators.getOpsetVersion()))
                .setProducerName(producer)
                .setGraph(graph);
        metadata.forEach((key, value) ->
                model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build().toByteArray();
    }
}
