package io.kelvin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The plumbing of {@code kelvin bench pipeline}: options, the figures derived from known inputs, the report. No broker, no timing. */
class BenchPipelineCommandTest {

    @TempDir
    Path dir;

    private static int exitOf(StringWriter err, String... args) {
        CommandLine cli = KelvinCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "bench";
        all[1] = "pipeline";
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.execute(all);
    }

    @Test
    void shouldRefuseOptionsThatCannotWorkBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        assertThat(exitOf(err, "--minutes", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("--minutes must be between 20");

        StringWriter err2 = new StringWriter();
        assertThat(exitOf(err2, "--guarantee", "exactly_once")).isEqualTo(2);
        assertThat(err2.toString()).contains("--guarantee must be exactly_once_v2, at_least_once or both");

        assertThatThrownBy(() -> BenchPipelineCommand.validate(0, 20, 60, 12, "at_least_once")).hasMessageContaining("--buildings");
        assertThatThrownBy(() -> BenchPipelineCommand.validate(1, 0, 60, 12, "at_least_once")).hasMessageContaining("--points");
        assertThatThrownBy(() -> BenchPipelineCommand.validate(1, 1, 60, 0, "at_least_once")).hasMessageContaining("--partitions");
        StringWriter err3 = new StringWriter();
        assertThat(exitOf(err3, "--live", "sudden")).isEqualTo(2);
        assertThat(err3.toString()).contains("--live must be steady or jump");
        assertThat(BenchPipelineCommand.liveClose("Jump")).isEqualTo(PipelineBenchmark.LiveClose.JUMP);
        StringWriter err4 = new StringWriter();
        assertThat(exitOf(err4, "--bursts", "0")).isEqualTo(2);
        assertThat(err4.toString()).contains("--bursts must be between 1 and 10, got 0");
    }

    @Test
    void shouldRunBothGuaranteesWhenAskedForBoth() {
        assertThat(BenchPipelineCommand.validate(10, 2, 30, 3, "both")).containsExactly("exactly_once_v2", "at_least_once");
        assertThat(BenchPipelineCommand.validate(10, 2, 30, 3, "at_least_once")).containsExactly("at_least_once");
    }

    @Test
    void shouldCountTheWindowsTheBacklogClosesAndTheOneLeftForTheLiveClose() {
        // 60 minutes, windows of 10 and grace 2: the last reading (minute 59) closes windows ending at 10..50 (50 + 2 <= 59).
        PipelineReport.Sizes sizes = PipelineReport.Sizes.of(1000, 20, 60, 12, 10, 2);
        assertThat(sizes.readings()).isEqualTo(1_200_000);
        assertThat(sizes.windowsPerBuilding()).isEqualTo(6);
        assertThat(sizes.backlogWindowsPerBuilding()).isEqualTo(5);
        assertThat(sizes.backlogWindows()).isEqualTo(5000);
        assertThat(sizes.allWindows()).isEqualTo(6000);

        // 25 minutes: windows [0,10) [10,20) [20,30); minute 24 closes the first two (20 + 2 <= 24).
        PipelineReport.Sizes partial = PipelineReport.Sizes.of(5, 2, 25, 1, 10, 2);
        assertThat(partial.windowsPerBuilding()).isEqualTo(3);
        assertThat(partial.backlogWindowsPerBuilding()).isEqualTo(2);

        // 61 minutes: minute 60 opens [60,70) but does not close [50,60) (60 + 2 > 60): two windows wait for the live close.
        PipelineReport.Sizes twoOpen = PipelineReport.Sizes.of(5, 2, 61, 1, 10, 2);
        assertThat(twoOpen.windowsPerBuilding()).isEqualTo(7);
        assertThat(twoOpen.allWindows() - twoOpen.backlogWindows()).isEqualTo(10);
    }

    @Test
    void shouldTakeNearestRankPercentilesOfTheLatencies() {
        long[] nanos = LongStream.rangeClosed(1, 200).map(i -> i * 1_000_000L).toArray(); // 1..200 ms, shuffled below
        for (int i = 0; i < nanos.length; i += 2) {
            long t = nanos[i];
            nanos[i] = nanos[nanos.length - 1 - i];
            nanos[nanos.length - 1 - i] = t;
        }
        PipelineReport.Latency latency = PipelineReport.Latency.of(nanos);
        assertThat(latency.count()).isEqualTo(200);
        assertThat(latency.p50Ms()).isEqualTo(100.0);
        assertThat(latency.p99Ms()).isEqualTo(198.0);
        assertThat(latency.maxMs()).isEqualTo(200.0);
        assertThat(PipelineReport.Latency.of(new long[0]).p99Ms()).isNaN();
        assertThat(latency.allDecidedMs()).isNaN(); // no milestones observed
    }

    @Test
    void shouldReportTheBurstMilestonesInMillisecondsAndThoseNotObservedAsNaN() {
        PipelineReport.Latency latency = PipelineReport.Latency.of(new long[] {900_000_000L}, 40_000_000L, 600_000_000L, -1, 250_000_000L,
                120_000_000L);
        assertThat(latency.firstWindowClosedMs()).isEqualTo(40.0);
        assertThat(latency.allWindowsClosedMs()).isEqualTo(600.0);
        assertThat(latency.allDecidedMs()).isNaN();
        assertThat(latency.maxMs()).isEqualTo(900.0);
        assertThat(latency.streamThreadCpuMs()).isEqualTo(250.0);
        assertThat(latency.jitMs()).isEqualTo(120.0);
        assertThat(PipelineReport.Latency.of(new long[] {1}).jitMs()).isNaN();
    }

    @Test
    void shouldDeriveRatesRatiosAndPerBuildingFiguresFromThePhases() {
        PipelineReport report = report();
        assertThat(report.raw().recordsPerSecond()).isEqualTo(1_000_000.0);
        assertThat(report.baseline().recordsPerSecond()).isEqualTo(200_000.0);
        assertThat(report.optimizer().recordsPerSecond()).isEqualTo(125_000.0);
        assertThat(report.optimizerOverBaseline()).isCloseTo(0.625, within(1e-12));
        assertThat(report.optimizerOverRaw()).isCloseTo(0.125, within(1e-12));
        assertThat(report.optimizer().cpuSecondsPerMillion()).isEqualTo(12.0);
        assertThat(report.stateBytesPerBuilding()).isEqualTo(2048.0);
        assertThat(report.heapBytesPerBuilding()).isEqualTo(1024.0);
        assertThat(PipelineReport.ratio(1, 0)).isNaN();
        // From the first window on: (b) 800,000 readings in 2 s, (c) the same in 5 s.
        assertThat(report.optimizer().steady().recordsPerSecond()).isEqualTo(160_000.0);
        assertThat(report.optimizerOverBaselineSteady()).isCloseTo(0.4, within(1e-12));
        assertThat(report.raw().steady().recordsPerSecond()).as("a phase without windows").isNaN();
        // Counters count work redone after an aborted transaction: more than expected is complete, with the excess shown.
        PipelineReport.Decisions replayed = new PipelineReport.Decisions(200, 200, 344, 0, 0);
        assertThat(replayed.complete()).isTrue();
        assertThat(replayed.redone()).isEqualTo(144);
        assertThat(new PipelineReport.Decisions(200, 200, 199, 0, 0).complete()).isFalse();
    }

    @Test
    void shouldPrintATableAndWriteWellFormedJson() throws Exception {
        PipelineReport report = report();
        StringWriter text = new StringWriter();
        report.print(new PrintWriter(text));
        assertThat(text.toString())
                .contains("exactly_once_v2: 1,000 buildings x 20 points x 60 minutes = 1,200,000 readings, 12 partitions")
                .containsPattern("\\(c\\) Kelvin optimizer +1,200,000 +9\\.60 +2\\.00 +125,000")
                .contains("ratios: c/b 0.63   c/a 0.125")
                .contains("(b) 400,000 readings/s, CPU 2.5 s; (c) 160,000 readings/s, CPU 6.0 s; c/b 0.40")
                .contains("decisions: 6,000 of 6,000 windows (model 5,990, fallback 10, skipped 0)")
                .contains("burst 1 (after the backlog) (200 setpoints): p50 100 ms, p99 198 ms")
                .contains("burst 2 (after a live window) (2 setpoints): p50 1 ms, p99 2 ms")
                .contains("stream threads' CPU 250 ms, JIT compilation 120 ms");

        Path json = dir.resolve("out/bench.json");
        BenchPipelineCommand.write(json, List.of(report), java.util.Map.of("statestore.cache.max.bytes", "0"),
                PipelineBenchmark.LiveClose.STEADY);
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.get("settings").get("statestore.cache.max.bytes").asText()).isEqualTo("0");
        JsonNode run = doc.get("runs").get(0);
        assertThat(run.get("guarantee").asText()).isEqualTo("exactly_once_v2");
        assertThat(run.get("optimizer").get("readingsPerSecond").asDouble()).isEqualTo(125_000.0);
        assertThat(run.get("ratioOptimizerOverBaseline").asDouble()).isCloseTo(0.625, within(1e-12));
        assertThat(run.get("ratioOptimizerOverBaselineSteady").asDouble()).isCloseTo(0.4, within(1e-12));
        assertThat(run.get("baseline").get("steady").get("readingsPerSecond").asDouble()).isEqualTo(400_000.0);
        assertThat(run.get("setpointLatencyMs").get("p99Ms").asDouble()).isEqualTo(198.0);
        assertThat(run.get("laterBursts")).hasSize(1);
        assertThat(run.get("laterBursts").get(0).get("count").asLong()).isEqualTo(2);
        assertThat(run.get("decisions").get("decided").asLong()).isEqualTo(6000);
    }

    @Test
    void shouldPublishThePointsOfABuildingAsItsDevicesDo() {
        PipelineBenchmark.ReadingGenerator readings = new PipelineBenchmark.ReadingGenerator(8, 1);
        assertThat(List.of(readings.metric(0), readings.metric(2), readings.metric(3), readings.metric(7)))
                .containsExactly(Metric.ZONE_TEMPERATURE_C, Metric.ZONE_TEMPERATURE_C, Metric.OUTDOOR_TEMPERATURE_C, Metric.CO2_PPM);
        SensorReading zone = readings.reading("building-001", 1, 600_000, 10);
        assertThat(zone.getZoneId()).isEqualTo("zone-2");
        assertThat(zone.getValue()).isBetween(21.0, 22.0);
        assertThat(zone.getObservedAt().toEpochMilli()).isEqualTo(600_000);
        assertThat(new PipelineBenchmark.ReadingGenerator(2, 1).metric(1)).isEqualTo(Metric.OUTDOOR_TEMPERATURE_C);
        assertThat(ResourceSampler.parseKib("VmRSS:\t  123456 kB")).isEqualTo(123456L * 1024);
    }

    private static PipelineReport report() {
        PipelineReport.Sizes sizes = PipelineReport.Sizes.of(1000, 20, 60, 12, 10, 2).withPreloadSeconds(30);
        PipelineReport.Phase raw = new PipelineReport.Phase("(a) raw consumer (bytes)", 1_200_000, 1.2, 0, 1, 0.5, 1, 2, 3,
                PipelineReport.Steady.NONE);
        PipelineReport.Phase baseline = new PipelineReport.Phase("(b) windowed count (Kafka Streams)", 1_200_000, 6.0, 2, 8, 2, 1, 2, 3,
                new PipelineReport.Steady(800_000, 2.0, 2.5));
        PipelineReport.Phase optimizer = new PipelineReport.Phase("(c) Kelvin optimizer", 1_200_000, 9.6, 2, 14.4, 3, 1, 2, 3,
                new PipelineReport.Steady(800_000, 5.0, 6.0));
        long[] nanos = LongStream.rangeClosed(1, 200).map(i -> i * 1_000_000L).toArray();
        return new PipelineReport("exactly_once_v2", sizes, raw, baseline, optimizer,
                new PipelineReport.Decisions(6000, 6000, 5990, 10, 0),
                List.of(PipelineReport.Latency.of(nanos, 1_000_000L, 2_000_000L, 3_000_000L, 250_000_000L, 120_000_000L),
                        PipelineReport.Latency.of(new long[] {1_000_000L, 2_000_000L})),
                new PipelineReport.Footprint(2048L * 1000, 1024L * 1000, 1L << 30));
    }
}
