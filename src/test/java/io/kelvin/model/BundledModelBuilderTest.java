package io.kelvin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import io.kelvin.inference.ModelContract;
import io.kelvin.inference.OnnxRuntimeEnvironment;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BundledModelBuilderTest {
    private static final BundledModelBuilder.Options SMALL = new BundledModelBuilder.Options(7, 3, 5, 1, 1);
    private static BundledModelBuilder.Bundle bundle;

    @BeforeAll
    static void build() {
        bundle = BundledModelBuilder.build(SMALL);
    }

    @Test
    void shouldBuildAByteIdenticalModelAndCardFromTheSameOptions() {
        BundledModelBuilder.Bundle again = BundledModelBuilder.build(SMALL);

        assertThat(again.exported().onnx()).isEqualTo(bundle.exported().onnx());
        assertThat(ModelCard.render(again, "kelvin model bundle")).isEqualTo(ModelCard.render(bundle, "kelvin model bundle"));
        assertThat(BundledModelBuilder.build(new BundledModelBuilder.Options(8, 3, 5, 1, 1)).exported().onnx())
                .isNotEqualTo(bundle.exported().onnx());
    }

    @Test
    void shouldDescribeItselfWithTheSimulatedTimeAndItsHeldOutErrors() throws Exception {
        DesignComparison.Candidate chosen = bundle.comparison().chosen();
        Map<String, String> meta;
        try (OrtSession session = OnnxRuntimeEnvironment.get().createSession(bundle.exported().onnx(), new OrtSession.SessionOptions())) {
            meta = session.getMetadata().getCustomMetadata();
        }

        // trained_at is the end of the simulated period, whatever day the build runs on
        assertThat(meta).containsEntry(ModelContract.META_TRAINED_AT, SimulatedFleetData.START.plus(Duration.ofDays(5)).toString())
                .containsEntry(ModelContract.META_MODEL_KEY, ModelContract.BUNDLED_KEY)
                .containsEntry(ModelContract.META_PRODUCER, BundledModelBuilder.PRODUCER)
                .containsEntry(ModelContract.META_VERSION, "bundled-20250111-" + OnnxExporter.fingerprint(bundle.model()))
                .containsEntry(ModelContract.META_METHOD, chosen.design().method())
                .containsEntry(ModelContract.META_FEATURE_NAMES, String.join(",", bundle.model().inputs()))
                .containsEntry(ModelContract.META_TRAINING_ROWS,
                        Integer.toString(bundle.split().train().size() + bundle.split().validation().size()))
                .containsEntry(ModelContract.META_HOLDOUT_MAE_ENERGY_KWH, Double.toString(chosen.holdout().maeEnergyKwh()))
                .containsEntry(ModelContract.META_HOLDOUT_MAE_INDOOR_C, Double.toString(chosen.holdout().maeIndoorC()));
        // every row went through ONNX Runtime before the bytes were handed out
        assertThat(bundle.exported().check().rows()).isEqualTo(bundle.fleet().rows().size());
    }

    @Test
    void shouldWriteTheComparisonAndHeldOutErrorsIntoTheCard() {
        String card = ModelCard.render(bundle, "kelvin model bundle --seed 7");

        for (DesignComparison.Candidate c : bundle.comparison().candidates()) {
            assertThat(card).contains("`" + c.design().method() + "`")
                    .contains(String.format(Locale.ROOT, "%.4f", c.holdout().maeEnergyKwh()));
        }
        assertThat(card).contains("**`" + bundle.comparison().chosen().design().method() + "`** (kept)")
                .contains(String.format(Locale.ROOT, "| this model | %.4f | %.4f |",
                        bundle.comparison().chosen().holdout().maeEnergyKwh(), bundle.comparison().chosen().holdout().maeIndoorC()))
                .contains(String.format(Locale.ROOT, "%.4f | %.4f |",
                        bundle.comparison().persistenceHoldout().maeEnergyKwh(), bundle.comparison().persistenceHoldout().maeIndoorC()))
                .contains("## Limits", "seed 7", "3 buildings", "kelvin model bundle --seed 7");
    }

    @Test
    void shouldRefuseSplitsThatLeaveNoTrainingDay() {
        assertThatThrownBy(() -> new BundledModelBuilder.Options(7, 3, 2, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one training day");
    }
}
