package io.kelvin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kelvin.inference.ModelContract;
import io.kelvin.inference.OnnxRuntimeEnvironment;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxExporterTest {
    private static final ModelMetadata METADATA = new ModelMetadata("building-7", "v42", "kelvin-trainer",
            Instant.parse("2025-02-10T02:00:00Z"), 5_000, 0.125, 0.0312);

    private static ThermalModel model;
    private static List<TrainingRow> rows;

    @BeforeAll
    static void fit() {
        // The interaction design uses every operator the exporter emits: Gather, Sub, Div, Mul, Relu, Concat, Gemm, Add.
        model = new ThermalModelLearner(FeatureDesign.thermalInteraction())
                .fit(SyntheticRows.rows(1, 4_000, 1_000, 3_000, 0.02, 0), SyntheticRows.rows(2, 1_000, 1_000, 3_000, 0.02, 0))
                .model();
        rows = SyntheticRows.rows(3, 2_000, 500, 8_000, 0.02, 0);
    }

    @Test
    void shouldPredictThroughOnnxRuntimeWhatTheJavaModelPredicts() throws Exception {
        OnnxExporter.Exported exported = OnnxExporter.export(model, METADATA, rows);

        List<String> inputs = model.inputs();
        float[][] x = new float[rows.size()][inputs.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < inputs.size(); j++) {
                x[i][j] = (float) rows.get(i).feature(inputs.get(j));
            }
        }
        float[][] onnx = runOnnx(exported.onnx(), x);

        for (int i = 0; i < rows.size(); i++) {
            Map<String, Double> asFloats = new HashMap<>();
            for (int j = 0; j < inputs.size(); j++) {
                asFloats.put(inputs.get(j), (double) x[i][j]);
            }
            Prediction java = model.predict(asFloats);
            assertThat((double) onnx[i][0]).as("energy, row %d", i).isCloseTo(java.energyKwh(), within(1e-4 + 1e-5 * java.energyKwh()));
            assertThat((double) onnx[i][1]).as("indoor, row %d", i).isCloseTo(java.indoorC(), within(1e-4 + 1e-5 * java.indoorC()));
        }
        assertThat(exported.check().rows()).isEqualTo(rows.size());
        assertThat(exported.check().maxAbsDifferenceEnergyKwh()).isLessThan(1e-4);
    }

    @Test
    void shouldClipEnergyAtZeroInTheGraphAsInJava() throws Exception {
        // A hand-made model: energy = max(0, area * (-1e-3 + 5e-4 * max(0, candidate - indoor_last))), i.e. zero below a 2 K gap.
        FeatureDesign design = FeatureDesign.thermalHinge();
        int k = design.terms().size();
        double[] energyWeights = new double[k];
        energyWeights[2] = 5e-4;
        ThermalModel clipped = new ThermalModel(design, new Standardizer(new double[k], ones(k)),
                new LinearFit(-1e-3, energyWeights), new LinearFit(0, new double[k]), 1, 1);

        byte[] onnx = OnnxExporter.export(clipped, METADATA, rows).onnx();

        List<String> inputs = clipped.inputs();
        float[][] x = new float[rows.size()][inputs.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < inputs.size(); j++) {
                x[i][j] = (float) rows.get(i).feature(inputs.get(j));
            }
        }
        float[][] out = runOnnx(onnx, x);
        int c = inputs.indexOf("candidate_setpoint_c");
        int last = inputs.indexOf("indoor_last_c");
        for (int i = 0; i < rows.size(); i++) {
            if (x[i][c] - x[i][last] < 1.99) {
                assertThat(out[i][0]).as("row %d, below the 2 K gap", i).isZero();
            } else if (x[i][c] - x[i][last] > 2.01) {
                assertThat(out[i][0]).as("row %d, above the 2 K gap", i).isPositive();
            }
        }
        assertThat(java.util.Arrays.stream(out).filter(r -> r[0] == 0f).count()).isBetween(1L, rows.size() - 1L);
        assertThat(clipped.predict(SyntheticRows.features(2_000, 0, 18, 20, 21, new java.util.Random(1))).energyKwh())
                .isCloseTo(2_000 * (-1e-3 + 5e-4 * 3), within(1e-9));
    }

    private static double[] ones(int k) {
        double[] out = new double[k];
        java.util.Arrays.fill(out, 1);
        return out;
    }

    @Test
    void shouldWriteTheContractsShapesOpsetAndMetadata() throws Exception {
        byte[] bytes = OnnxExporter.export(model, METADATA, rows).onnx();
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(bytes);

        assertThat(proto.getIrVersion()).isEqualTo(8);
        assertThat(proto.getOpsetImportList()).singleElement()
                .satisfies(o -> assertThat(o.getDomain()).isEmpty())
                .satisfies(o -> assertThat(o.getVersion()).isEqualTo(17));
        assertThat(proto.getGraph().getInputList()).extracting(OnnxMl.ValueInfoProto::getName).containsExactly(ModelContract.INPUT);
        assertThat(proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue())
                .isEqualTo(model.inputs().size());
        assertThat(proto.getGraph().getOutputList()).extracting(OnnxMl.ValueInfoProto::getName).containsExactly(ModelContract.OUTPUT);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(ModelContract.META_FEATURE_NAMES, String.join(",", model.inputs()));
        expected.put(ModelContract.META_VERSION, "v42");
        expected.put(ModelContract.META_MODEL_KEY, "building-7");
        expected.put(ModelContract.META_PRODUCER, "kelvin-trainer");
        expected.put(ModelContract.META_METHOD, "ridge-thermal-interaction-v2");
        expected.put(ModelContract.META_TRAINED_AT, "2025-02-10T02:00:00Z");
        expected.put(ModelContract.META_TRAINING_ROWS, "5000");
        expected.put(ModelContract.META_HOLDOUT_MAE_ENERGY_KWH, "0.125");
        expected.put(ModelContract.META_HOLDOUT_MAE_INDOOR_C, "0.0312");
        assertThat(proto.getMetadataPropsList().stream()
                .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue)))
                .containsExactlyInAnyOrderEntriesOf(expected);
        OrtEnvironment env = OnnxRuntimeEnvironment.get();
        try (OrtSession session = env.createSession(bytes, new OrtSession.SessionOptions())) {
            assertThat(session.getMetadata().getCustomMetadata()).containsAllEntriesOf(expected);
        }
        assertThat(model.inputs()).contains("candidate_setpoint_c", "floor_area_m2", "indoor_last_c").doesNotContain("co2_mean_ppm");
    }

    @Test
    void shouldExportTheSameBytesForTheSameModel() {
        assertThat(OnnxExporter.export(model, METADATA, rows).onnx()).isEqualTo(OnnxExporter.export(model, METADATA, rows).onnx());
        assertThat(OnnxExporter.fingerprint(model)).hasSize(12).isEqualTo(OnnxExporter.fingerprint(model));
    }

    @Test
    void shouldRefuseAGraphWhoseWeightsDisagreeWithTheJavaModel() throws Exception {
        byte[] good = OnnxExporter.modelProto(model, METADATA).toByteArray();
        byte[] wrongBias = tamper(good, graph -> {
            for (OnnxMl.TensorProto.Builder t : graph.getInitializerBuilderList()) {
                if (t.getName().startsWith("bias")) {
                    t.clearRawData().clearFloatData().addFloatData(0.001f).addFloatData(0.5f);
                }
            }
            return graph;
        });

        assertThat(OnnxRoundTrip.verify(good, model, rows).rows()).isEqualTo(rows.size());
        assertThatThrownBy(() -> OnnxRoundTrip.verify(wrongBias, model, rows))
                .isInstanceOf(ModelExportException.class)
                .hasMessageContaining("ONNX Runtime disagrees with the Java model");
    }

    @Test
    void shouldRefuseAnotherModelsGraph() {
        ThermalModel other = new ThermalModelLearner(FeatureDesign.thermalInteraction())
                .fit(SyntheticRows.rows(4, 4_000, 1_000, 3_000, 0.5, 0), SyntheticRows.rows(5, 1_000, 1_000, 3_000, 0.5, 0))
                .model();
        byte[] othersBytes = OnnxExporter.modelProto(other, METADATA).toByteArray();

        assertThatThrownBy(() -> OnnxRoundTrip.verify(othersBytes, model, rows))
                .isInstanceOf(ModelExportException.class)
                .hasMessageContaining("disagrees");
    }

    @Test
    void shouldRefuseMetadataThatNamesOtherColumns() throws Exception {
        byte[] good = OnnxExporter.modelProto(model, METADATA).toByteArray();
        OnnxMl.ModelProto.Builder builder = OnnxMl.ModelProto.parseFrom(good).toBuilder();
        for (OnnxMl.StringStringEntryProto.Builder p : builder.getMetadataPropsBuilderList()) {
            if (p.getKey().equals(ModelContract.META_FEATURE_NAMES)) {
                List<String> swapped = new java.util.ArrayList<>(model.inputs());
                java.util.Collections.swap(swapped, 0, 1);
                p.setValue(String.join(",", swapped));
            }
        }
        byte[] swappedNames = builder.build().toByteArray();

        assertThatThrownBy(() -> OnnxRoundTrip.verify(swappedNames, model, rows))
                .isInstanceOf(ModelExportException.class)
                .hasMessageContaining(ModelContract.META_FEATURE_NAMES);
    }

    @Test
    void shouldRefuseBytesOnnxRuntimeCannotLoad() {
        assertThatThrownBy(() -> OnnxRoundTrip.verify(new byte[] {1, 2, 3}, model, rows))
                .isInstanceOf(ModelExportException.class)
                .hasMessageContaining("could not load");
    }

    private static byte[] tamper(byte[] onnx, UnaryOperator<OnnxMl.GraphProto.Builder> change) throws InvalidProtocolBufferException {
        OnnxMl.ModelProto.Builder builder = OnnxMl.ModelProto.parseFrom(onnx).toBuilder();
        change.apply(builder.getGraphBuilder());
        return builder.build().toByteArray();
    }

    private static float[][] runOnnx(byte[] onnx, float[][] x) throws Exception {
        OrtEnvironment env = OnnxRuntimeEnvironment.get();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, x);
             OrtSession.Result result = session.run(Map.of(ModelContract.INPUT, input))) {
            return (float[][]) result.get(ModelContract.OUTPUT).orElseThrow().getValue();
        }
    }
}
