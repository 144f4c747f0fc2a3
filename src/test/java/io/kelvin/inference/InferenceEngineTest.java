package io.kelvin.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kelvin.config.KelvinConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Device selection. This build carries the CPU artifact of ONNX Runtime, which has no CUDA
 * provider, so {@code auto} and {@code cuda} are tested on the real path; a GPU build whose CUDA
 * libraries are missing is played by an injected probe.
 */
class InferenceEngineTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();
    private final Logger engineLog = (Logger) LoggerFactory.getLogger(InferenceEngine.class);

    @BeforeEach
    void captureLog() {
        logLines.start();
        engineLog.addAppender(logLines);
    }

    @AfterEach
    void releaseLog() {
        engineLog.detachAppender(logLines);
    }

    @Test
    void shouldFallBackToCpuOnAutoWhenThisBuildHasNoCudaProvider() {
        try (InferenceEngine engine = InferenceEngine.create(InferenceSettings.defaults(RequestedDevice.AUTO), registry)) {
            assertThat(engine.device()).isEqualTo(InferenceDevice.CPU);
            assertThat(engine.cudaUnavailableReason()).hasValueSatisfying(reason ->
                    assertThat(reason).contains("no CUDA execution provider").contains("onnxruntime_gpu"));
            assertThat(registry.get(InferenceMetrics.DEVICE).tags("requested", "auto", "device", "cpu").gauge().value())
                    .isEqualTo(1.0);
        }
        assertThat(logLines.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getFormattedMessage()).contains("kelvin.inference.device=auto: running models on CPU");
        });
    }

    @Test
    void shouldRefuseCudaWithWhatIsMissingWhenThisBuildHasNoCudaProvider() {
        assertThatThrownBy(() -> InferenceEngine.create(InferenceSettings.defaults(RequestedDevice.CUDA), registry))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("kelvin.inference.device=cuda, but CUDA cannot be used")
                .hasMessageContaining("no CUDA execution provider")
                .hasMessageContaining("onnxruntime_gpu 1.29")
                .hasMessageContaining("CUDA 12 runtime 12.8 or newer with cuBLAS")
                .hasMessageContaining("cuDNN 9")
                .hasMessageContaining("kelvin.inference.device=auto");
        assertThat(registry.find(InferenceMetrics.DEVICE).gauge()).isNull();
    }

    @Test
    void shouldWarnOnceAndRunOnCpuWhenAGpuBuildCannotStartCuda() {
        CudaProbe libraryMissing = env -> Optional.of(new CudaProbe.Unavailable(true,
                "the CUDA execution provider did not start: libcudnn.so.9: cannot open shared object file"));

        try (InferenceEngine engine = InferenceEngine.create(
                InferenceSettings.defaults(RequestedDevice.AUTO), registry, libraryMissing)) {
            assertThat(engine.device()).isEqualTo(InferenceDevice.CPU);
            assertThat(registry.get(InferenceMetrics.DEVICE).tags("requested", "auto", "device", "cpu").gauge().value())
                    .isEqualTo(1.0);
        }
        assertThat(logLines.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage()).contains("running models on CPU because").contains("libcudnn.so.9");
        });
        assertThatThrownBy(() -> InferenceEngine.create(InferenceSettings.defaults(RequestedDevice.CUDA), registry, libraryMissing))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("libcudnn.so.9");
    }

    @Test
    void shouldNotProbeCudaWhenCpuIsAsked() {
        CudaProbe mustNotRun = env -> {
            throw new AssertionError("cpu must not probe CUDA");
        };

        try (InferenceEngine engine = InferenceEngine.create(InferenceSettings.defaults(RequestedDevice.CPU), registry, mustNotRun)) {
            assertThat(engine.device()).isEqualTo(InferenceDevice.CPU);
            assertThat(engine.cudaUnavailableReason()).isEmpty();
            assertThat(registry.get(InferenceMetrics.DEVICE).tags("requested", "cpu", "device", "cpu").gauge().value())
                    .isEqualTo(1.0);
        }
        assertThat(logLines.list).isEmpty();
    }

    @Test
    void shouldTakeItsSettingsFromKelvinConfig() {
        KelvinConfig config = KelvinConfig.of(Map.of(
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://inference-engine-test",
                KelvinConfig.INFERENCE_DEVICE_CONFIG, "CPU",
                KelvinConfig.INFERENCE_INTRA_OP_THREADS_CONFIG, "2",
                KelvinConfig.INFERENCE_INTER_OP_THREADS_CONFIG, "3",
                KelvinConfig.MODELS_MAX_BYTES_CONFIG, "4096"));

        try (InferenceEngine engine = InferenceEngine.create(config, registry)) {
            assertThat(engine.settings()).isEqualTo(new InferenceSettings(RequestedDevice.CPU, 2, 3, 4096));
            assertThat(engine.device()).isEqualTo(InferenceDevice.CPU);
            assertThat(engine.onnxRuntimeVersion()).startsWith("1.");
        }
    }

    @Test
    void shouldShipDefaultsOfOneThreadEachAnd64MiBModels() {
        assertThat(InferenceSettings.defaults(RequestedDevice.AUTO))
                .isEqualTo(new InferenceSettings(RequestedDevice.AUTO, 1, 1, 64 * 1024 * 1024));
    }
}
