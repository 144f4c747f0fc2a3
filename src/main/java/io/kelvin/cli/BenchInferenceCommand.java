package io.kelvin.cli;

import io.kelvin.inference.InferenceEngine;
import io.kelvin.inference.InferenceSettings;
import io.kelvin.inference.ModelContract;
import io.kelvin.inference.ModelRejectedException;
import io.kelvin.inference.OnnxModel;
import io.kelvin.inference.PlausibleFeatures;
import io.kelvin.inference.RequestedDevice;
import io.kelvin.inference.SyntheticModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kelvin bench inference}: how fast ONNX Runtime runs a Kelvin model on this machine, per
 * batch size, through the same {@link OnnxModel#predict} path the optimizer uses. Needs nothing
 * but a JRE and the jar: no broker, no Maven.
 */
@Command(name = "inference",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measures ONNX Runtime inference per batch size through the optimizer's own call path "
                    + "(copy into a direct buffer, run, copy the predictions out), from one calling thread.",
            "",
            "For each batch size: a warm-up, then calls for at least --min-seconds. Prints calls, rows per second, "
                    + "the p50 and p99 duration of one call, and microseconds per row; then the fixed cost of a call, "
                    + "read from batch size 1. A size whose arrays do not fit this JVM's memory is skipped, with the reason.",
            "",
        },
        footer = {
            "",
            "Examples:",
            "  kelvin bench inference",
            "  kelvin bench inference --device cpu --batch-sizes 1,1000,100000 --min-seconds 2",
            "  kelvin bench inference --model my-model.onnx --intra-op-threads 0",
            "  KELVIN_JAVA_OPTS=-Xmx8g kelvin bench inference --batch-sizes 10000000",
        })
public final class BenchInferenceCommand implements Callable<Integer> {

    static final String BUNDLED_RESOURCE = "kelvin/models/bundled.onnx";
    static final Path BUNDLED_FILE = Path.of("models", "bundled.onnx");
    private static final double MAX_WARMUP_SECONDS = 2.0;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda",
            description = "Where to run: auto (CUDA when it works, else CPU), cpu, or cuda (fails when CUDA cannot be used). Default: ${DEFAULT-VALUE}.")
    RequestedDevice device;

    @Option(names = "--model", paramLabel = "FILE|bundled|synthetic",
            description = "The ONNX model to run: a file, 'bundled' (classpath " + BUNDLED_RESOURCE + " or ./models/bundled.onnx), "
                    + "or 'synthetic' (built in code, every known feature). Default: bundled when present, else synthetic.")
    String model;

    @Option(names = "--batch-sizes", split = ",", paramLabel = "N[,N...]",
            defaultValue = "1,10,100,1000,10000,100000,1000000",
            description = "Rows per call to measure. Default: ${DEFAULT-VALUE}.")
    List<Integer> batchSizes = new ArrayList<>();

    @Option(names = "--min-seconds", defaultValue = "1.0", paramLabel = "SECONDS",
            description = "Measured time per batch size, after a warm-up of a fifth of it (at most 2 s). Default: ${DEFAULT-VALUE}.")
    double minSeconds;

    @Option(names = "--intra-op-threads", paramLabel = "N",
            description = "ONNX Runtime threads within one operator; 0 = one per core. Default: Kelvin's default (kelvin.inference.intra.op.threads).")
    Integer intraOpThreads;

    @Option(names = "--inter-op-threads", paramLabel = "N",
            description = "ONNX Runtime threads across operators; 0 = ONNX Runtime chooses. Default: Kelvin's default (kelvin.inference.inter.op.threads).")
    Integer interOpThreads;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** A model to measure and where it came from. */
    record ModelSource(String description, String key, byte[] bytes) {}

    @Override
    public Integer call() {
        if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(n -> n == null || n < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-sizes must be positive whole numbers, got " + batchSizes);
        }
        if (!(minSeconds > 0) || Double.isInfinite(minSeconds)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--min-seconds must be positive, got " + minSeconds);
        }
        InferenceSettings defaults = InferenceSettings.defaults(device);
        InferenceSettings settings = defaults.withThreads(
                intraOpThreads == null ? defaults.intraOpThreads() : intraOpThreads,
                interOpThreads == null ? defaults.interOpThreads() : interOpThreads);
        ModelSource source = resolve(model, settings.maxModelBytes());
        PrintWriter out = spec.commandLine().getOut();
        try (InferenceEngine engine = InferenceEngine.create(settings, new SimpleMeterRegistry());
             OnnxModel loaded = load(engine, source)) {
            printHeader(out, engine, loaded, source);
            run(out, loaded);
        }
        return 0;
    }

    private static OnnxModel load(InferenceEngine engine, ModelSource source) {
        try {
            return engine.load(source.key(), source.bytes());
        } catch (ModelRejectedException e) {
            throw new IllegalArgumentException("model " + source.description() + " rejected (" + e.reason().code() + "): " + e.getMessage(), e);
        }
    }

    /** The model named by {@code --model}, or the bundled model when there is one, else the synthetic one. */
    static ModelSource resolve(String choice, int maxBytes) {
        if ("synthetic".equals(choice)) {
            return synthetic();
        }
        if (choice == null || "bundled".equals(choice)) {
            Optional<ModelSource> bundled = bundled(maxBytes);
            if (bundled.isPresent() || choice == null) {
                return bundled.orElseGet(BenchInferenceCommand::synthetic);
            }
            throw new IllegalArgumentException("no bundled model: neither the class path resource " + BUNDLED_RESOURCE
                    + " nor the file " + BUNDLED_FILE.toAbsolutePath() + " exists");
        }
        Path file = Path.of(choice);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model file " + file.toAbsolutePath() + " does not exist");
        }
        return new ModelSource(file.toString(), "bench", read(file, maxBytes));
    }

    private static ModelSource synthetic() {
        return new ModelSource("synthetic (built in code)", ModelContract.BUNDLED_KEY, SyntheticModel.bytes());
    }

    private static Optional<ModelSource> bundled(int maxBytes) {
        try (InputStream in = BenchInferenceCommand.class.getClassLoader().getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in != null) {
                return Optional.of(new ModelSource("bundled (classpath:" + BUNDLED_RESOURCE + ")", ModelContract.BUNDLED_KEY,
                        in.readNBytes(oneMore(maxBytes))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the class path resource " + BUNDLED_RESOURCE, e);
        }
        if (Files.isRegularFile(BUNDLED_FILE)) {
            return Optional.of(new ModelSource("bundled (" + BUNDLED_FILE + ")", ModelContract.BUNDLED_KEY, read(BUNDLED_FILE, maxBytes)));
        }
        return Optional.empty();
    }

    /** Reads at most one byte more than allowed, so an oversized file is refused without reading it whole. */
    private static byte[] read(Path file, int maxBytes) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(oneMore(maxBytes));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read model file " + file, e);
        }
    }

    private static int oneMore(int maxBytes) {
        return (int) Math.min(Integer.MAX_VALUE - 8L, maxBytes + 1L);
    }

    private void printHeader(PrintWriter out, InferenceEngine engine, OnnxModel model, ModelSource source) {
        Runtime runtime = Runtime.getRuntime();
        out.println("kelvin bench inference");
        out.printf(Locale.ROOT, "  model        %s: version %s, %d features%n", source.description(), model.version(),
                model.featureNames().size());
        out.printf(Locale.ROOT, "  device       %s (requested %s)%s%n", engine.device().tag(), engine.settings().device().tag(),
                engine.cudaUnavailableReason().map(r -> "; CUDA not used: " + r).orElse(""));
        out.printf(Locale.ROOT, "  onnxruntime  %s%n", engine.onnxRuntimeVersion());
        out.printf(Locale.ROOT, "  cores        %d available to the JVM; intra-op threads %s, inter-op threads %s%n",
                runtime.availableProcessors(), threads(engine.settings().intraOpThreads()), threads(engine.settings().interOpThreads()));
        out.printf(Locale.ROOT, "  java         %s; max heap %s, direct memory limit %s%n", System.getProperty("java.version"),
                InferenceBenchmark.bytes(runtime.maxMemory()), InferenceBenchmark.bytes(maxDirectMemory()));
        out.printf(Locale.ROOT, "  method       one calling thread; per size %.2f s warm-up, then calls for at least %.2f s (at least %d calls)%n",
                warmupSeconds(), minSeconds, InferenceBenchmark.MIN_CALLS);
        out.println();
        out.printf(Locale.ROOT, "%12s %10s %9s %14s %11s %11s %13s%n",
                "batch rows", "input", "calls", "rows/s", "p50 call", "p99 call", "mean us/row");
        out.flush();
    }

    private static String threads(int n) {
        return n == 0 ? "0 (ONNX Runtime chooses)" : Integer.toString(n);
    }

    private double warmupSeconds() {
        return Math.min(minSeconds / 5, MAX_WARMUP_SECONDS);
    }

    private void run(PrintWriter out, OnnxModel model) {
        InferenceBenchmark benchmark = new InferenceBenchmark(System::nanoTime);
        int width = model.featureNames().size();
        InferenceBenchmark.Result atOne = null;
        InferenceBenchmark.Result largest = null;
        for (int rows : batchSizes) {
            long inputBytes = (long) rows * width * Float.BYTES;
            Optional<String> problem = memoryProblem(rows, width);
            if (problem.isPresent()) {
                out.printf(Locale.ROOT, "%12d %10s   skipped: %s%n", rows, InferenceBenchmark.bytes(inputBytes), problem.get());
                out.flush();
                continue;
            }
            float[] features = PlausibleFeatures.rows(model.featureNames(), rows);
            float[] predictions = new float[rows * ModelContract.OUTPUT_WIDTH];
            InferenceBenchmark.Result r = benchmark.measure(model, features, rows, predictions, warmupSeconds(), minSeconds);
            out.printf(Locale.ROOT, "%12d %10s %,9d %,14.0f %11s %11s %13.4f%n", rows, InferenceBenchmark.bytes(inputBytes),
                    r.calls(), r.rowsPerSecond(), duration(r.p50Nanos()), duration(r.p99Nanos()), r.microsPerRow());
            out.flush();
            if (rows == 1) {
                atOne = r;
            }
            if (largest == null || rows > largest.rows()) {
                largest = r;
            }
        }
        out.println();
        out.println(overhead(atOne, largest));
        out.flush();
    }

    /** The fixed cost of a call: batch 1's p50, less what one row costs when rows are many. */
    static String overhead(InferenceBenchmark.Result atOne, InferenceBenchmark.Result largest) {
        if (atOne == null) {
            return "per-call overhead: not measured (add 1 to --batch-sizes)";
        }
        String line = "per-call overhead at batch 1: " + duration(atOne.p50Nanos()) + " (p50)";
        if (largest == null || largest.rows() <= 1) {
            return line;
        }
        double rowNanos = largest.meanNanos() / (double) largest.rows();
        return line + String.format(Locale.ROOT, "%n  one row costs about %s (mean per row at batch %d), so about %s of each call "
                        + "is fixed cost:%n  tensor set-up, the ONNX Runtime call, and the copies in and out",
                duration(Math.round(rowNanos)), largest.rows(), duration(Math.max(0, Math.round(atOne.p50Nanos() - rowNanos))));
    }

    private static Optional<String> memoryProblem(int rows, int width) {
        Runtime runtime = Runtime.getRuntime();
        long estimate = (long) rows * (width + ModelContract.OUTPUT_WIDTH) * Float.BYTES;
        if (estimate > 16L << 20) {
            // Measure what is really free before a large size: the previous size's arrays are garbage now.
            System.gc();
        }
        return InferenceBenchmark.memoryProblem(rows, width, runtime.maxMemory(), runtime.totalMemory() - runtime.freeMemory(),
                maxDirectMemory(), usedDirectMemory());
    }

    /** -XX:MaxDirectMemorySize when given, else the JVM's default: the max heap. */
    static long maxDirectMemory() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:MaxDirectMemorySize=")) {
                return parseSize(arg.substring(arg.indexOf('=') + 1));
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    static long parseSize(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = switch (v.charAt(v.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1L;
        };
        return Long.parseLong(unit == 1 ? v : v.substring(0, v.length() - 1)) * unit;
    }

    private static long usedDirectMemory() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> "direct".equals(pool.getName()))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    /** 850 ns, 10.1 us, 2.35 ms, 1.20 s. */
    static String duration(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
