package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.InferenceEngine;
import io.kelvin.inference.ModelContract;
import io.kelvin.inference.TestModels;
import io.kelvin.schema.ModelRelease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hot-swapping models must not leak: 1,000 global releases applied one after another through
 * {@link ModelCatalog} and the ONNX Runtime {@link InferenceEngine}, each used for a prediction
 * before the next replaces it. Each replaced session is closed, and resident memory settles: after
 * a warm-up of 200 swaps (allocator arenas, JIT, class loading), the next 800 add less than
 * {@value #MAX_RSS_GROWTH_MB} MB of RSS. The figures are printed for the reliability notes.
 */
class ModelSwapMemoryTest {
    private static final int SWAPS = 1_000;
    private static final int WARM_UP = 200;
    private static final long MAX_RSS_GROWTH_MB = 64;

    @Test
    void shouldCloseEveryReplacedSessionAndNotGrowResidentMemoryOverAThousandSwaps() throws IOException {
        KelvinConfig config = KelvinConfig.of(Map.of("application.id", "kelvin-swap-test", "bootstrap.servers", "unused:1",
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://swap-test"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Memory before;
        Memory warm = null;
        Memory after;
        float[] row = {4.0f, 21.0f, 21.5f};
        float[] out = new float[ModelContract.OUTPUT_WIDTH];
        try (InferenceEngine engine = InferenceEngine.create(config, meters);
             ModelCatalog catalog = new ModelCatalog(engine::load, ModelSource.fromConfig(config), meters)) {
            before = Memory.now();
            for (int i = 1; i <= SWAPS; i++) {
                String version = "swap-" + i;
                assertThat(catalog.apply(ModelContract.GLOBAL_KEY, release(version))).as("release %s accepted", version).isTrue();
                PredictionModel serving = catalog.modelFor("b1").orElseThrow();
                assertThat(serving.version()).isEqualTo(version);
                serving.predict(row, 1, out);
                assertThat(out[0]).isFinite();
                assertThat(engine.openSessions()).as("sessions open after swap %s", i).isEqualTo(1);
                if (i == WARM_UP) {
                    warm = Memory.now();
                }
            }
            after = Memory.now();
            assertThat(catalog.releases("accepted", "")).isEqualTo(SWAPS);
        }
        System.out.printf("ModelSwapMemoryTest: %d swaps; VmRSS MB before %d, after %d swaps %d, after %d swaps %d; "
                        + "heap used MB (after GC) %d / %d / %d; direct buffers MB %d / %d / %d%n",
                SWAPS, before.rssMb, WARM_UP, warm.rssMb, SWAPS, after.rssMb,
                before.heapMb, warm.heapMb, after.heapMb, before.directMb, warm.directMb, after.directMb);
        assertThat(after.rssMb - warm.rssMb).as("RSS growth over swaps %d..%d, MB", WARM_UP, SWAPS).isLessThan(MAX_RSS_GROWTH_MB);
        assertThat(after.directMb - warm.directMb).as("direct buffer growth, MB").isLessThanOrEqualTo(1);
    }

    private static ModelRelease release(String version) {
        byte[] onnx = TestModels.linear().metadata(ModelContract.META_VERSION, version).bytes();
        return ModelRelease.newBuilder()
                .setModelKey(ModelContract.GLOBAL_KEY).setVersion(version).setCreatedAt(Instant.parse("2026-11-23T09:00:00Z"))
                .setOnnx(ByteBuffer.wrap(onnx)).setSha256(ModelSource.sha256Hex(onnx)).setFeatureNames(TestModels.FEATURES)
                .build();
    }

    /** Resident set (from /proc/self/status), heap used after a GC, and direct buffers, in MB. */
    private record Memory(long rssMb, long heapMb, long directMb) {
        static Memory now() throws IOException {
            System.gc();
            long rssKb = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst().orElseThrow();
            Runtime rt = Runtime.getRuntime();
            long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
            return new Memory(rssKb / 1024, (rt.totalMemory() - rt.freeMemory()) >> 20, direct >> 20);
        }
    }
}
