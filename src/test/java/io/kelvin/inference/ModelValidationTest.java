package io.kelvin.inference;

import static io.kelvin.inference.ModelRejectedException.Reason.BATCH_DEPENDENT;
import static io.kelvin.inference.ModelRejectedException.Reason.CONTRACT_INPUT;
import static io.kelvin.inference.ModelRejectedException.Reason.CONTRACT_OUTPUT;
import static io.kelvin.inference.ModelRejectedException.Reason.DUPLICATE_FEATURE;
import static io.kelvin.inference.ModelRejectedException.Reason.MISSING_METADATA;
import static io.kelvin.inference.ModelRejectedException.Reason.NON_FINITE_OUTPUT;
import static io.kelvin.inference.ModelRejectedException.Reason.PROBE_FAILED;
import static io.kelvin.inference.ModelRejectedException.Reason.TOO_LARGE;
import static io.kelvin.inference.ModelRejectedException.Reason.UNKNOWN_FEATURE;
import static io.kelvin.inference.ModelRejectedException.Reason.UNREADABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a model can break the contract is refused at load, with its reason, leaving nothing open. */
class ModelValidationTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InferenceEngine engine = InferenceEngine.create(InferenceSettings.defaults(RequestedDevice.CPU), registry);

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    static Stream<Arguments> brokenModels() {
        return Stream.of(
                broken("truncated file", TestModels::truncated, UNREADABLE, "ONNX Runtime cannot load it"),
                broken("not ONNX at all", () -> "{\"model\": \"surely\"}".getBytes(StandardCharsets.UTF_8), UNREADABLE, "cannot load"),
                broken("no bytes", () -> new byte[0], UNREADABLE, "cannot load"),
                broken("input not named features", () -> TestModels.linear().inputName("input").bytes(),
                        CONTRACT_INPUT, "expected exactly one input 'features' (float32 [N, F]), found [input]"),
                broken("a second input", () -> TestModels.linear().secondInput().bytes(),
                        CONTRACT_INPUT, "expected exactly one input 'features'"),
                broken("one column more than features named", () -> TestModels.linear().declaredWidth(4).bytes(),
                        CONTRACT_INPUT, "input 'features' has 4 columns but kelvin.feature_names names 3 features"),
                broken("a fixed batch of one", () -> TestModels.linear().fixedBatch(1).bytes(),
                        CONTRACT_INPUT, "fixed batch size of 1"),
                broken("float64 input", () -> TestModels.linear().doubleInput().bytes(),
                        CONTRACT_INPUT, "'features' must be float32, found ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE"),
                broken("output not named prediction", () -> TestModels.linear().outputName("output").bytes(),
                        CONTRACT_OUTPUT, "no output named 'prediction'"),
                broken("three outputs per row", () -> TestModels.linear().outputWidth(3).bytes(),
                        CONTRACT_OUTPUT, "output 'prediction' must be [N, 2] (energy kWh, indoor degrees C), found [-1, 3]"),
                broken("three outputs computed where two are declared", () -> TestModels.linear().computedWidth(3).bytes(),
                        CONTRACT_OUTPUT, "found [-1, 3]"),
                broken("one prediction for the whole batch", () -> TestModels.linear().batchMean().bytes(),
                        CONTRACT_OUTPUT, "output 'prediction' has a fixed first dimension of 1"),
                broken("an ONNX Runtime error on a single row", () -> TestModels.linear().reshapeInPairs().bytes(),
                        PROBE_FAILED, "failed on 1 plausible row(s): ONNX Runtime failed on model linear-test-1"),
                broken("no version", () -> TestModels.linear().withoutMetadata(ModelContract.META_VERSION).bytes(),
                        MISSING_METADATA, "metadata_props lacks kelvin.model_version"),
                broken("blank version", () -> TestModels.linear().metadata(ModelContract.META_VERSION, "  ").bytes(),
                        MISSING_METADATA, "lacks kelvin.model_version"),
                broken("no feature names", () -> TestModels.linear().withoutMetadata(ModelContract.META_FEATURE_NAMES).bytes(),
                        MISSING_METADATA, "metadata_props lacks kelvin.feature_names"),
                broken("a feature Kelvin does not compute",
                        () -> TestModels.linear().metadata(ModelContract.META_FEATURE_NAMES, "outdoor_mean_c,solar_gain_w,candidate_setpoint_c").bytes(),
                        UNKNOWN_FEATURE, "unknown feature 'solar_gain_w' in kelvin.feature_names"),
                broken("an empty feature name",
                        () -> TestModels.linear().metadata(ModelContract.META_FEATURE_NAMES, "outdoor_mean_c,,candidate_setpoint_c").bytes(),
                        UNKNOWN_FEATURE, "unknown feature ''"),
                broken("a feature listed twice",
                        () -> TestModels.linear().metadata(ModelContract.META_FEATURE_NAMES, "outdoor_mean_c,indoor_mean_c,outdoor_mean_c").bytes(),
                        DUPLICATE_FEATURE, "feature 'outdoor_mean_c' is listed twice"),
                broken("NaN predictions (0 / 0)", () -> TestModels.linear().nanOutput().bytes(),
                        NON_FINITE_OUTPUT, "predicts energy = NaN for the plausible winter night row (batch of 1)"),
                broken("rows that depend on their batch", () -> TestModels.linear().batchDependent().bytes(),
                        BATCH_DEPENDENT, "a row's prediction must not depend on the rows batched with it"));
    }

    private static Arguments broken(String what, Supplier<byte[]> bytes, ModelRejectedException.Reason reason, String message) {
        return Arguments.of(what, bytes, reason, message);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("brokenModels")
    void shouldRejectWithTheReasonAndLeaveNoSessionOpen(String what, Supplier<byte[]> bytes,
                                                        ModelRejectedException.Reason reason, String message) {
        assertThatThrownBy(() -> engine.load("building-7", bytes.get()))
                .isInstanceOfSatisfying(ModelRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);

        assertThat(engine.openSessions()).isZero();
        assertThat(registry.get(InferenceMetrics.REJECTED).tags("reason", reason.code()).counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldAcceptAModelOfExactlyTheLargestSizeAndRejectOneByteMore() throws Exception {
        byte[] bytes = TestModels.linear().bytes();
        InferenceSettings exact = InferenceSettings.defaults(RequestedDevice.CPU).withMaxModelBytes(bytes.length);

        try (InferenceEngine fits = InferenceEngine.create(exact, new SimpleMeterRegistry());
             OnnxModel model = fits.load("building-7", bytes)) {
            assertThat(model.version()).isEqualTo(TestModels.VERSION);
        }
        try (InferenceEngine tooSmall = InferenceEngine.create(exact.withMaxModelBytes(bytes.length - 1), new SimpleMeterRegistry())) {
            assertThatThrownBy(() -> tooSmall.load("building-7", bytes))
                    .isInstanceOfSatisfying(ModelRejectedException.class, e -> assertThat(e.reason()).isEqualTo(TOO_LARGE))
                    .hasMessage(bytes.length + " bytes, larger than kelvin.models.max.bytes=" + (bytes.length - 1));
        }
    }

    @Test
    void shouldGiveEveryReasonAStableKebabCaseCode() {
        assertThat(ModelRejectedException.Reason.values()).extracting(ModelRejectedException.Reason::code)
                .containsExactly("too-large", "unreadable", "contract-input", "contract-output", "missing-metadata",
                        "unknown-feature", "duplicate-feature", "probe-failed", "non-finite-output", "batch-dependent",
                        "key-mismatch", "ambiguous-source", "no-model-bytes", "fetch-failed", "sha256-mismatch", "release-mismatch");
    }
}
