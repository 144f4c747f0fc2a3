package io.kelvin.optimizer;

import static io.kelvin.optimizer.OptimizerFixture.office;
import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.inference.ModelContract;
import io.kelvin.inference.TestModels;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Model releases arriving on kelvin.models while setpoints flow: validated before they serve,
 * swapped without losing or repeating a decision, looked up building then global then bundled.
 */
class OptimizerModelReleaseTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final List<String> BUILDINGS = List.of("b1", "b2", "b3");
    private OptimizerFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private void start(PredictionModel bundled) {
        fx = new OptimizerFixture(bundled);
        BUILDINGS.forEach(b -> fx.buildings.pipeInput(b, office(b)));
    }

    /** Window {@code n} (0-based) of every building; it closes when window n+1's readings pass its grace. */
    private void window(int n) {
        Instant start = T0.plus(Duration.ofMinutes(10L * n));
        for (String b : BUILDINGS) {
            fx.window(b, start, 21.0 + 0.1 * n, 4.0, 25.0);
        }
    }

    private void closeWindow(int n) {
        Instant at = T0.plus(Duration.ofMinutes(10L * (n + 1) + 2));
        for (String b : BUILDINGS) {
            fx.minute(b, at, 21.0, 4.0, 25.0);
        }
    }

    private static ModelRelease release(String key, String version, byte[] onnx) {
        return ModelRelease.newBuilder()
                .setModelKey(key)
                .setVersion(version)
                .setCreatedAt(T0)
                .setOnnx(ByteBuffer.wrap(onnx))
                .setSha256(ModelSource.sha256Hex(onnx))
                .setFeatureNames(TestModels.FEATURES)
                .build();
    }

    private static byte[] model(String version) {
        return TestModels.linear().metadata(ModelContract.META_VERSION, version).bytes();
    }

    @Test
    void shouldSwapModelsWhileSetpointsFlowWithoutLosingOrRepeatingADecision() {
        start(null);
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, release(ModelContract.GLOBAL_KEY, "v1", model("v1")));
        for (int n = 0; n < 6; n++) {
            window(n);
            if (n == 3) {
                fx.releases.pipeInput(ModelContract.GLOBAL_KEY, release(ModelContract.GLOBAL_KEY, "v2", model("v2")));
            }
        }
        closeWindow(5);

        List<SetpointCommand> commands = fx.setpoints.readValuesToList();
        assertThat(commands).hasSize(6 * BUILDINGS.size());
        assertThat(commands.stream().map(SetpointCommand::getDecisionId).distinct().count()).isEqualTo(6L * BUILDINGS.size());
        assertThat(commands).allSatisfy(c -> assertThat(c.getSource()).isEqualTo(SetpointSource.MODEL));
        // Windows 0-2 closed before v2 arrived (window 3's readings close window 2), the rest after.
        assertThat(commands.stream().collect(Collectors.groupingBy(SetpointCommand::getModelVersion, Collectors.counting())))
                .containsEntry("v1", 3L * BUILDINGS.size())
                .containsEntry("v2", 3L * BUILDINGS.size());
        assertThat(fx.models.releases("accepted", "")).isEqualTo(2.0);
    }

    @Test
    void shouldRejectBadReleasesAndKeepServingThePreviousModel() {
        start(null);
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, release(ModelContract.GLOBAL_KEY, "v1", model("v1")));

        byte[] nan = TestModels.linear().metadata(ModelContract.META_VERSION, "nan").nanOutput().bytes();
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, release(ModelContract.GLOBAL_KEY, "nan", nan));
        byte[] corrupt = java.util.Arrays.copyOf(model("corrupt"), 40);
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, release(ModelContract.GLOBAL_KEY, "corrupt", corrupt));
        ModelRelease tampered = release(ModelContract.GLOBAL_KEY, "tampered", model("tampered"));
        tampered.setSha256(ModelSource.sha256Hex(model("something else")));
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, tampered);
        fx.releases.pipeInput("b1", release("b2", "misfiled", model("misfiled")));
        ModelRelease lying = release(ModelContract.GLOBAL_KEY, "v3", model("v3"));
        lying.setFeatureNames(List.of("indoor_mean_c"));
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, lying);

        window(0);
        closeWindow(0);

        assertThat(fx.setpoints.readValuesToList()).extracting(SetpointCommand::getModelVersion).containsOnly("v1");
        assertThat(fx.models.rejections()).extracting(ModelCatalog.Rejection::reason)
                .containsExactly("non-finite-output", "unreadable", "sha256-mismatch", "key-mismatch", "release-mismatch");
        assertThat(fx.models.releases("rejected", "non-finite-output")).isEqualTo(1.0);
        assertThat(fx.models.versions()).containsExactly(java.util.Map.entry(ModelContract.GLOBAL_KEY, "v1"));
    }

    @Test
    void shouldRejectWrongShapeAndOversizedReleasesAndKeepServingThePreviousModel() {
        // Releases up to 64 KiB, so an oversized one stays small enough for a fast test.
        fx = new OptimizerFixture(null, java.util.Map.of(io.kelvin.config.KelvinConfig.MODELS_MAX_BYTES_CONFIG, "65536"));
        BUILDINGS.forEach(b -> fx.buildings.pipeInput(b, office(b)));
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, release(ModelContract.GLOBAL_KEY, "v1", model("v1")));
        int sessions = fx.engine.openSessions();

        byte[] threeOutputs = TestModels.linear().metadata(ModelContract.META_VERSION, "wide").outputWidth(3).bytes();
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, release(ModelContract.GLOBAL_KEY, "wide", threeOutputs));
        byte[] fourColumns = TestModels.linear().metadata(ModelContract.META_VERSION, "columns").declaredWidth(4).bytes();
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, release(ModelContract.GLOBAL_KEY, "columns", fourColumns));
        byte[] oversized = TestModels.linear().metadata(ModelContract.META_VERSION, "huge")
                .metadata("kelvin.padding", "x".repeat(70_000)).bytes();
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, release(ModelContract.GLOBAL_KEY, "huge", oversized));
        window(0);
        closeWindow(0);

        assertThat(fx.setpoints.readValuesToList()).hasSize(BUILDINGS.size())
                .extracting(SetpointCommand::getModelVersion).containsOnly("v1");
        assertThat(fx.models.rejections()).extracting(ModelCatalog.Rejection::reason)
                .containsExactly("contract-output", "contract-input", "too-large");
        assertThat(fx.models.versions()).containsExactly(java.util.Map.entry(ModelContract.GLOBAL_KEY, "v1"));
        assertThat(fx.engine.openSessions()).as("a rejected release leaves no session open").isEqualTo(sessions);
    }

    @Test
    void shouldLookUpTheBuildingModelThenTheGlobalThenTheBundled() {
        start(new PhysicsPredictor());
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, release(ModelContract.GLOBAL_KEY, "global-1", model("global-1")));
        fx.releases.pipeInput("b1", release("b1", "b1-1", model("b1-1")));
        window(0);
        closeWindow(0);
        assertThat(versions()).containsExactly("b1-1", "global-1", "global-1");

        fx.releases.pipeInput("b1", null);                      // withdraw b1's own model
        fx.releases.pipeInput(ModelContract.GLOBAL_KEY, null);  // and the global one
        window(1);
        closeWindow(1);
        assertThat(versions()).containsExactly(PhysicsPredictor.VERSION, PhysicsPredictor.VERSION, PhysicsPredictor.VERSION);
    }

    /** Model versions of the commands emitted since the last call, in building order. */
    private List<String> versions() {
        return fx.setpoints.readValuesToList().stream()
                .sorted(java.util.Comparator.comparing(SetpointCommand::getBuildingId))
                .map(SetpointCommand::getModelVersion).toList();
    }
}
