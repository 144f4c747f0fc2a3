package io.kelvin.model;

import ai.onnx.proto.OnnxMl;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link ThermalModel} as an ONNX model that meets Kelvin's model contract ({@link
 * io.kelvin.inference.ModelContract}) and proves it before handing it out: every export is run
 * through ONNX Runtime on the given rows and compared with the Java model ({@link
 * OnnxRoundTrip}); a mismatch is a {@link ModelExportException}, never a published model.
 *
 * <p>IR version {@value #IR_VERSION} and opset {@value #OPSET}: loaded by ONNX Runtime 1.27 (the
 * CUDA build on the GPU machines) as well as 1.29. Output is deterministic: the same model and
 * metadata give the same bytes.
 */
public final class OnnxExporter {
    public static final long IR_VERSION = 8;
    public static final long OPSET = 17;
    static final String PRODUCER_NAME = "kelvin";
    static final String DOMAIN = "io.kelvin";

    private OnnxExporter() {}

    /** An exported model and what its round trip through ONNX Runtime compared. */
    public record Exported(byte[] onnx, OnnxRoundTrip.Result check) {
        public Exported {
            onnx = onnx.clone();
        }

        @Override
        public byte[] onnx() {
            return onnx.clone();
        }
    }

    /**
     * Exports and verifies.
     *
     * @param checkRows rows to compare ONNX Runtime with the Java model on (training and held-out rows)
     * @throws ModelExportException when ONNX Runtime cannot load the model or disagrees with it
     */
    public static Exported export(ThermalModel model, ModelMetadata metadata, List<TrainingRow> checkRows) {
        byte[] bytes = modelProto(model, metadata).toByteArray();
        OnnxRoundTrip.Result check = OnnxRoundTrip.verify(bytes, model, checkRows);
        return new Exported(bytes, check);
    }

    /**
     * A short content hash of the model's graph (its terms, standardisation and coefficients), for
     * versions that change exactly when the model does.
     */
    public static String fingerprint(ThermalModel model) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ThermalGraph.build(model).toByteArray());
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    static OnnxMl.ModelProto modelProto(ThermalModel model, ModelMetadata metadata) {
        OnnxMl.ModelProto.Builder builder = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(PRODUCER_NAME)
                .setDomain(DOMAIN)
                .setDocString(docString(model))
                .setGraph(ThermalGraph.build(model));
        for (Map.Entry<String, String> e : metadata.properties(model).entrySet()) {
            builder.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return builder.build();
    }

    private static String docString(ThermalModel model) {
        StringBuilder doc = new StringBuilder(model.design().method())
                .append(": prediction = [max(0, floor_area_m2 * energy_per_m2), indoor_last_c + indoor_change],")
                .append(" both linear in the standardised terms:");
        for (Term t : model.design().terms()) {
            doc.append(' ').append(t.label()).append(';');
        }
        return doc.toString();
    }
}
