package io.kelvin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.inference.SyntheticModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchInferenceCommandTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return Arrays.asList(out.split("\n"));
        }
    }

    private static Run bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = KelvinCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "bench";
        all[1] = "inference";
        System.arraycopy(args, 0, all, 2, args.length);
        int exit = cli.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldPrintTheSetupARowPerBatchSizeAndTheFixedCostOfACall() {
        Run run = bench("--model", "synthetic", "--device", "cpu", "--batch-sizes", "1,100", "--min-seconds", "0.05");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("model        synthetic (built in code): version " + SyntheticModel.VERSION + ", 18 features")
                .contains("device       cpu (requested cpu)")
                .containsPattern("onnxruntime  1\\.\\d+")
                .contains("intra-op threads 1, inter-op threads 1");
        assertThat(run.lines()).anySatisfy(line -> assertThat(line)
                .matches(" +batch rows +input +calls +rows/s +p50 call +p99 call +mean us/row"));
        assertThat(run.lines()).anySatisfy(line -> assertThat(line).matches(" +1 +72 B +[\\d,]+ +[\\d,]+ +\\S+ [nmu]?s +\\S+ [nmu]?s +[\\d.]+"));
        assertThat(run.lines()).anySatisfy(line -> assertThat(line).matches(" +100 +7\\.0 KiB +[\\d,]+ +[\\d,]+ .*"));
        assertThat(run.out()).contains("per-call overhead at batch 1: ").contains("(mean per row at batch 100)");
    }

    @Test
    void shouldMeasureAModelFileAndHonourTheThreadOptions() throws Exception {
        Path file = dir.resolve("model.onnx");
        Files.write(file, SyntheticModel.bytes());

        Run run = bench("--model", file.toString(), "--device", "cpu", "--batch-sizes", "10", "--min-seconds", "0.02",
                "--intra-op-threads", "0", "--inter-op-threads", "2");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("model        " + file + ": version " + SyntheticModel.VERSION)
                .contains("intra-op threads 0 (ONNX Runtime chooses), inter-op threads 2")
                .contains("per-call overhead: not measured (add 1 to --batch-sizes)");
    }

    @Test
    void shouldExplainThatCudaIsMissingAndExitNonZero() {
        Run run = bench("--model", "synthetic", "--device", "cuda", "--batch-sizes", "1");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("kelvin bench inference: kelvin.inference.device=cuda, but CUDA cannot be used")
                .contains("onnxruntime_gpu").contains("cuDNN 9");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldRefuseABrokenModelFileWithTheReason() throws Exception {
        Path file = dir.resolve("broken.onnx");
        Files.write(file, "not a model".getBytes(StandardCharsets.UTF_8));

        Run run = bench("--model", file.toString(), "--device", "cpu");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("kelvin bench inference: model " + file + " rejected (unreadable): ");
    }

    @Test
    void shouldRefuseAMissingFileAndBadOptions() {
        assertThat(bench("--model", dir.resolve("none.onnx").toString()).err()).contains("does not exist");
        Run zero = bench("--model", "synthetic", "--batch-sizes", "1,0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--batch-sizes must be positive whole numbers, got [1, 0]");
        assertThat(bench("--model", "synthetic", "--min-seconds", "0").err()).contains("--min-seconds must be positive");
        assertThat(bench("--device", "tpu").err()).contains("auto").contains("cpu").contains("cuda");
    }

    @Test
    void shouldAskForASubcommandOfBench() {
        StringWriter err = new StringWriter();
        CommandLine cli = KelvinCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("bench");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("Missing subcommand: one of [inference, pipeline]");
    }

    @Test
    void shouldSkipASizeWhoseArraysDoNotFitTheHeapAndSayHowMuchItNeeds() {
        // 1,000,000 rows x (18 features + 2 outputs) x 4 bytes = 76.3 MiB against a 64 MiB heap
        assertThat(InferenceBenchmark.memoryProblem(1_000_000, 18, 64 * MIB, 10 * MIB, 64 * MIB, 0))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("needs 76.3 MiB of heap for the input and output arrays, 41.2 MiB of the 64.0 MiB max heap is free")
                        .contains("-Xmx2g"));
        assertThat(InferenceBenchmark.memoryProblem(100_000, 18, 64 * MIB, 10 * MIB, 64 * MIB, 0)).isEmpty();
    }

    @Test
    void shouldSkipASizeWhoseBuffersDoNotFitDirectMemory() {
        assertThat(InferenceBenchmark.memoryProblem(1_000_000, 18, 4096 * MIB, 10 * MIB, 64 * MIB, 0))
                .hasValueSatisfying(reason -> assertThat(reason).contains("of direct memory").contains("-XX:MaxDirectMemorySize"));
        assertThat(InferenceBenchmark.memoryProblem(100_000_000, 18, 1L << 40, 0, 1L << 40, 0))
                .hasValueSatisfying(reason -> assertThat(reason).contains("more than a direct buffer holds"));
    }

    @Test
    void shouldTakeNearestRankPercentiles() {
        long[] sorted = new long[100];
        Arrays.setAll(sorted, i -> i + 1);

        assertThat(InferenceBenchmark.percentile(sorted, 0.50)).isEqualTo(50);
        assertThat(InferenceBenchmark.percentile(sorted, 0.99)).isEqualTo(99);
        assertThat(InferenceBenchmark.percentile(new long[] {7, 9, 30}, 0.99)).isEqualTo(30);
    }

    @Test
    void shouldMeasureWithTheClockItIsGiven() {
        long[] now = {0};
        // every predict takes 1 ms of this clock, whatever the real time
        io.kelvin.optimizer.PredictionModel model = new io.kelvin.optimizer.PredictionModel() {
            public String version() {
                return "clock";
            }

            public List<String> featureNames() {
                return List.of("outdoor_mean_c");
            }

            public void predict(float[] features, int rows, float[] out) {
                now[0] += 1_000_000;
            }
        };

        InferenceBenchmark.Result r = new InferenceBenchmark(() -> now[0])
                .measure(model, new float[10], 10, new float[20], 0.0, 0.005);

        assertThat(r.calls()).isEqualTo(5);
        assertThat(r.p50Nanos()).isEqualTo(1_000_000);
        assertThat(r.rowsPerSecond()).isEqualTo(10_000.0);
        assertThat(r.microsPerRow()).isEqualTo(100.0);
    }

    @Test
    void shouldReadSizesWithUnits() {
        assertThat(BenchInferenceCommand.parseSize("512m")).isEqualTo(512 * MIB);
        assertThat(BenchInferenceCommand.parseSize("2G")).isEqualTo(2048 * MIB);
        assertThat(BenchInferenceCommand.parseSize("1048576")).isEqualTo(MIB);
    }
}
