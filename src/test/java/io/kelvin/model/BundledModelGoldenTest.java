package io.kelvin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.kelvin.inference.ModelContract;
import io.kelvin.inference.OnnxRuntimeEnvironment;
import io.kelvin.optimizer.FeatureBuilder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed models/bundled.onnx, as the jar ships it (class path resource kelvin/models/bundled.onnx), run through
 * ONNX Runtime the way Kelvin runs it: columns filled by the names in its metadata.
 *
 * <p>The golden values were recorded from this model file. Regenerating the model ({@code kelvin model bundle}) with
 * other options or changed code changes them: review the new model card, then record the new values here. A change
 * that alters them without a new model file is a regression.
 */
class BundledModelGoldenTest {
    static final String RESOURCE = "kelvin/models/bundled.onnx";

    private static byte[] bytes;
    private static OrtSession session;
    private static List<String> columns;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = BundledModelGoldenTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as("class path resource %s (pom.xml copies models/*.onnx)", RESOURCE).isNotNull();
            bytes = in.readAllBytes();
        }
        session = OnnxRuntimeEnvironment.get().createSession(bytes, new OrtSession.SessionOptions());
        columns = List.of(session.getMetadata().getCustomMetadata().get(ModelContract.META_FEATURE_NAMES).split(","));
    }

    @AfterAll
    static void close() throws Exception {
        session.close();
    }

    /** A full contract row, as FeatureBuilder fills it, for a building at a local hour. */
    private static Map<String, Double> row(double areaM2, double outdoorC, double indoorLastC, double indoorMeanC, double previousC,
                                           double candidateC, double energyKwh, double people, boolean occupiedNext, double hour) {
        Map<String, Double> f = new HashMap<>();
        f.put("indoor_mean_c", indoorMeanC);
        f.put("indoor_last_c", indoorLastC);
        f.put("outdoor_mean_c", outdoorC);
        f.put("hvac_energy_kwh", energyKwh);
        f.put("hvac_power_mean_kw", energyKwh * 6);
        f.put("occupancy_mean", people);
        f.put("co2_mean_ppm", Double.NaN);
        f.put("humidity_mean_pct", Double.NaN);
        f.put("previous_setpoint_c", previousC);
        f.put("candidate_setpoint_c", candidateC);
        f.put("setpoint_delta_k", candidateC - previousC);
        f.put("occupied_next", occupiedNext ? 1.0 : 0.0);
        f.put("hour_sin", Math.sin(2 * Math.PI * hour / 24));
        f.put("hour_cos", Math.cos(2 * Math.PI * hour / 24));
        f.put("dow_sin", Math.sin(2 * Math.PI / 7));
        f.put("dow_cos", Math.cos(2 * Math.PI / 7));
        f.put("floor_area_m2", areaM2);
        f.put("window_hours", 1.0 / 6);
        return f;
    }

    private static float[][] predict(List<Map<String, Double>> rows) throws Exception {
        float[][] x = new float[rows.size()][columns.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < columns.size(); j++) {
                x[i][j] = (float) (double) rows.get(i).get(columns.get(j));
            }
        }
        OrtEnvironment env = OnnxRuntimeEnvironment.get();
        try (OnnxTensor input = OnnxTensor.createTensor(env, x); OrtSession.Result result = session.run(Map.of(ModelContract.INPUT, input))) {
            return (float[][]) result.get(ModelContract.OUTPUT).orElseThrow().getValue();
        }
    }

    @Test
    void shouldCarryTheBundledModelsContractMetadata() throws Exception {
        Map<String, String> meta = session.getMetadata().getCustomMetadata();
        assertThat(meta).containsEntry(ModelContract.META_MODEL_KEY, ModelContract.BUNDLED_KEY)
                .containsEntry(ModelContract.META_PRODUCER, BundledModelBuilder.PRODUCER)
                .containsEntry(ModelContract.META_TRAINED_AT, "2025-02-10T00:00:00Z")
                .containsKeys(ModelContract.META_METHOD, ModelContract.META_TRAINING_ROWS,
                        ModelContract.META_HOLDOUT_MAE_ENERGY_KWH, ModelContract.META_HOLDOUT_MAE_INDOOR_C);
        assertThat(meta.get(ModelContract.META_VERSION)).startsWith("bundled-20250210-");
        assertThat(FeatureBuilder.KNOWN_FEATURES).containsAll(columns);
        assertThat(session.getInputNames()).containsExactly(ModelContract.INPUT);
        assertThat(session.getOutputNames()).containsExactly(ModelContract.OUTPUT);
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(bytes);
        assertThat(proto.getIrVersion()).isEqualTo(OnnxExporter.IR_VERSION);
        assertThat(proto.getOpsetImport(0).getVersion()).isEqualTo(OnnxExporter.OPSET);
        assertThat(bytes.length).as("a small model: KBs").isLessThan(32 * 1024);
    }

    @Test
    void shouldPredictTheRecordedGoldenValues() throws Exception {
        List<Map<String, Double>> rows = List.of(
                // cold occupied morning, 3,000 m2, setpoint raised half a kelvin
                row(3_000, 0, 20.5, 20.5, 21, 21.5, 1.0, 150, true, 10),
                // frosty night, setback, 1,500 m2, setpoint lowered
                row(1_500, -8, 18.2, 18.3, 18, 17.5, 0.9, 0, false, 3),
                // mild occupied afternoon, 5,000 m2, warm from people
                row(5_000, 12, 22.3, 22.2, 21.5, 22, 0.4, 250, true, 15),
                // pre-heating a 4,000 m2 building before people arrive
                row(4_000, -3, 19, 18.9, 19.5, 20, 3.5, 0, false, 6.5));

        float[][] golden = {
                {3.2183225f, 20.595337f},
                {0.73087627f, 17.956148f},
                {1.5949185f, 22.128025f},
                {5.58536f, 19.131334f}};

        float[][] out = predict(rows);

        for (int i = 0; i < golden.length; i++) {
            assertThat(out[i][0]).as("energy kWh, row %d", i).isCloseTo(golden[i][0], within(1e-4f));
            assertThat(out[i][1]).as("indoor C, row %d", i).isCloseTo(golden[i][1], within(1e-4f));
        }
    }

    @Test
    void shouldBeWhatTheBundleCommandBuildsWithItsDefaultOptions() throws Exception {
        // The committed file is not hand-made or stale: rebuilding it from the default options gives the same bytes.
        BundledModelBuilder.Bundle rebuilt = BundledModelBuilder.build(BundledModelBuilder.Options.defaults());

        assertThat(rebuilt.exported().onnx()).as("models/bundled.onnx is stale: run kelvin model bundle").isEqualTo(bytes);
        String card = Files.readString(Path.of("models/MODEL_CARD.md"), StandardCharsets.UTF_8);
        assertThat(card).contains("`" + rebuilt.metadata().version() + "`",
                String.format(Locale.ROOT, "| this model | %.4f | %.4f |", rebuilt.metadata().holdoutMaeEnergyKwh(),
                        rebuilt.metadata().holdoutMaeIndoorC()));
    }

    @Test
    void shouldPredictMoreHeatingAndAWarmerRoomForAHigherSetpointOnAColdDay() throws Exception {
        for (double area : new double[] {1_000, 3_000, 5_000}) {
            for (boolean occupied : new boolean[] {false, true}) {
                double[] candidates = {19.5, 19.75, 20, 20.25, 20.5};
                List<Map<String, Double>> rows = Arrays.stream(candidates)
                        .mapToObj(c -> row(area, -5, 19.6, 19.7, 20, c, 0.0006 * area, occupied ? area / 20 : 0, occupied, 8))
                        .toList();

                float[][] out = predict(rows);

                for (int i = 1; i < out.length; i++) {
                    String at = String.format("area %s occupied %s, %s -> %s C", area, occupied, candidates[i - 1], candidates[i]);
                    assertThat(out[i][0]).as("energy, " + at).isGreaterThan(out[i - 1][0]);
                    assertThat(out[i][1]).as("indoor, " + at).isGreaterThan(out[i - 1][1]);
                }
            }
        }
    }
}
