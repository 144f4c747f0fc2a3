package io.kelvin.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.optimizer.FeatureBuilder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OnnxModelTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InferenceEngine engine = InferenceEngine.create(InferenceSettings.defaults(RequestedDevice.CPU), registry);

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void shouldPredictWhatTheHandComputationSays() throws Exception {
        try (OnnxModel model = engine.load("building-7", TestModels.linear().bytes())) {
            // columns: outdoor_mean_c, indoor_mean_c, candidate_setpoint_c (the metadata's order)
            float[] features = {
                -5f, 19.5f, 21.0f,
                30f, 25.0f, 23.5f,
                12f, 21.0f, 21.0f,
            };
            float[] out = new float[6];

            model.predict(features, 3, out);

            for (int row = 0; row < 3; row++) {
                float[] expected = TestModels.expected(Arrays.copyOfRange(features, row * 3, row * 3 + 3));
                assertThat(out[2 * row]).as("energy of row %d", row).isCloseTo(expected[0], within(1e-4f));
                assertThat(out[2 * row + 1]).as("indoor of row %d", row).isCloseTo(expected[1], within(1e-4f));
            }
            // -5 * -0.25 + 19.5 * 0.5 + 21 * 1.5 + 2 = 44.5 kWh; -0.5 + 11.7 + 6.3 + 0.5 = 18.0 degrees C
            assertThat(out[0]).isCloseTo(44.5f, within(1e-4f));
            assertThat(out[1]).isCloseTo(18.0f, within(1e-4f));
        }
    }

    @Test
    void shouldTakeFeatureNamesAndTheirOrderFromTheMetadata() throws Exception {
        try (OnnxModel model = engine.load("building-7", TestModels.linear().bytes())) {
            assertThat(model.featureNames()).containsExactly("outdoor_mean_c", "indoor_mean_c", "candidate_setpoint_c");
            assertThat(model.featureNames()).isNotEqualTo(FeatureBuilder.KNOWN_FEATURES.stream()
                    .filter(model.featureNames()::contains).toList());
        }
    }

    @Test
    void shouldExposeKeyVersionMetadataAndTheHashOfTheBytes() throws Exception {
        byte[] bytes = TestModels.linear().metadata(ModelContract.META_METHOD, "linear").bytes();

        try (OnnxModel model = engine.load(ModelContract.GLOBAL_KEY, bytes)) {
            assertThat(model.modelKey()).isEqualTo(ModelContract.GLOBAL_KEY);
            assertThat(model.version()).isEqualTo(TestModels.VERSION);
            assertThat(model.metadata()).containsEntry(ModelContract.META_METHOD, "linear")
                    .containsEntry(ModelContract.META_PRODUCER, "kelvin-test");
            assertThat(model.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            assertThat(model.device()).isEqualTo(InferenceDevice.CPU);
        }
    }

    @Test
    void shouldWriteOnlyTheRowsAskedForIntoALongerArray() throws Exception {
        try (OnnxModel model = engine.load("building-7", TestModels.linear().bytes())) {
            float[] features = PlausibleFeatures.rows(model.featureNames(), 10);
            float[] out = new float[20];
            Arrays.fill(out, -1234f);

            model.predict(features, 2, out);

            assertThat(Arrays.copyOfRange(out, 4, 20)).containsOnly(-1234f);
            assertThat(out[0]).isNotEqualTo(-1234f);
        }
    }

    @Test
    void shouldRefuseArraysTooShortForTheRowsAndNoRowsAtAll() throws Exception {
        try (OnnxModel model = engine.load("building-7", TestModels.linear().bytes())) {
            assertThatThrownBy(() -> model.predict(new float[5], 2, new float[4]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 rows of 3 features need 6 floats");
            assertThatThrownBy(() -> model.predict(new float[6], 2, new float[3]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 4 output floats");
            assertThatThrownBy(() -> model.predict(new float[6], 0, new float[4]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        }
    }

    @Test
    void shouldStayCorrectWhenBatchesGrowAndShrinkOnOneThread() throws Exception {
        Random random = new Random(42);
        try (OnnxModel model = engine.load("building-7", TestModels.linear().bytes())) {
            for (int rows : new int[] {1, 10_000, 3, 50_000, 1}) {
                float[] features = new float[rows * 3];
                for (int i = 0; i < features.length; i++) {
                    features[i] = (float) (random.nextGaussian() * 10 + 20);
                }
                float[] out = new float[rows * 2];

                model.predict(features, rows, out);

                for (int row : new int[] {0, rows / 2, rows - 1}) {
                    float[] expected = TestModels.expected(Arrays.copyOfRange(features, row * 3, row * 3 + 3));
                    assertThat(out[2 * row]).as("energy, row %d of %d", row, rows).isCloseTo(expected[0], within(1e-3f));
                    assertThat(out[2 * row + 1]).as("indoor, row %d of %d", row, rows).isCloseTo(expected[1], within(1e-3f));
                }
            }
        }
    }

    @Test
    void shouldRecordLatencyAndRowsPerCallByModelKindNeverByBuilding() throws Exception {
        try (OnnxModel building = engine.load("building-7", TestModels.linear().bytes());
             OnnxModel global = engine.load(ModelContract.GLOBAL_KEY, TestModels.linear().bytes())) {
            float[] features = PlausibleFeatures.rows(building.featureNames(), 5);
            float[] out = new float[10];

            building.predict(features, 3, out);
            building.predict(features, 5, out);
            global.predict(features, 1, out);

            Timer buildingTimer = registry.get(InferenceMetrics.LATENCY).tags("model_kind", "building", "device", "cpu").timer();
            assertThat(buildingTimer.count()).isEqualTo(2);
            assertThat(buildingTimer.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get(InferenceMetrics.BATCH_ROWS).tags("model_kind", "building").summary().totalAmount())
                    .isEqualTo(8.0);
            assertThat(registry.get(InferenceMetrics.LATENCY).tags("model_kind", "global").timer().count()).isEqualTo(1);
            assertThat(registry.get(InferenceMetrics.ERRORS).tags("model_kind", "building").counter().count()).isZero();
            assertThat(registry.getMeters()).flatMap(meter -> meter.getId().getTags()).extracting(Tag::getValue)
                    .doesNotContain("building-7");
        }
    }

    @Test
    void shouldCountOpenSessionsUntilModelsClose() throws Exception {
        OnnxModel first = engine.load("building-1", TestModels.linear().bytes());
        OnnxModel second = engine.load("building-2", TestModels.linear().bytes());
        Meter.Id gauge = registry.get(InferenceMetrics.SESSIONS_OPEN).gauge().getId();
        assertThat(engine.openSessions()).isEqualTo(2);

        first.close();
        first.close(); // idempotent

        assertThat(engine.openSessions()).isEqualTo(1);
        assertThat(registry.get(gauge.getName()).gauge().value()).isEqualTo(1.0);
        second.close();
        assertThat(engine.openSessions()).isZero();
    }

    @Test
    void shouldLoadTheSyntheticBenchmarkModelWithEveryKnownFeature() throws Exception {
        try (OnnxModel model = engine.load(ModelContract.BUNDLED_KEY, SyntheticModel.bytes())) {
            assertThat(model.featureNames()).isEqualTo(FeatureBuilder.KNOWN_FEATURES);
            assertThat(model.version()).isEqualTo(SyntheticModel.VERSION);
            float[] out = new float[2 * 100];
            model.predict(PlausibleFeatures.rows(model.featureNames(), 100), 100, out);
            for (float v : out) {
                assertThat(v).isFinite();
            }
        }
        assertThat(SyntheticModel.bytes()).isEqualTo(SyntheticModel.bytes());
    }
}
