package io.kelvin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kelvin bench pipeline}: readings per second through Kelvin's optimizer on the embedded
 * broker, side by side with a plain consumer (the ceiling) and a minimal Kafka Streams windowed
 * count (the baseline) over the same preloaded topic, plus setpoint latency after window close,
 * CPU and memory. See {@link PipelineBenchmark} for what each figure covers.
 */
@Command(name = "pipeline",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Starts an embedded broker, preloads building profiles and BUILDINGS x POINTS x MINUTES readings (recent "
                    + "timestamps), then measures over the same topic: (a) a plain consumer reading the records as bytes, "
                    + "(b) a minimal Kafka Streams windowed count emitted on window close, (c) Kelvin's optimizer "
                    + "(production configuration and topology). (b) and (c) are timed from start (start-up included) until "
                    + "every reading is processed and every window the backlog closes is emitted or decided, and again "
                    + "from every building's first window on (start-up and each task's one-off first emit check excluded).",
            "",
            "Then (after one reading per partition of the next window, with --live steady) one reading per partition dated "
                    + "past the last window's end plus grace closes every building's last window at once; setpoint latency is the "
                    + "wall time from sending those readings until each setpoint is read by a read_committed consumer (an upper "
                    + "bound on latency after window close), with a timeline of the burst, the stream threads' CPU and the JIT's "
                    + "compile time. Each later burst (--bursts) first sends every building's readings of one more window live, "
                    + "then closes it the same way: a JVM warmed by that work, as a deployment closing a window every 10 minutes is.",
            "",
        },
        footer = {
            "",
            "Examples:",
            "  kelvin bench pipeline",
            "  kelvin bench pipeline --buildings 10000 --points 20 --minutes 30 --guarantee both --output bench.json",
        })
public final class BenchPipelineCommand implements Callable<Integer> {
    static final List<String> GUARANTEES = List.of("exactly_once_v2", "at_least_once");

    @Option(names = "--buildings", defaultValue = "2000", paramLabel = "N", description = "Buildings (each with a profile). Default: ${DEFAULT-VALUE}.")
    int buildings;

    @Option(names = "--points", defaultValue = "20", paramLabel = "P", description = "Readings per building per minute. Default: ${DEFAULT-VALUE}.")
    int points;

    @Option(names = "--minutes", defaultValue = "60", paramLabel = "M",
            description = "Minutes of readings; at least 20, so the backlog closes a window. Default: ${DEFAULT-VALUE}.")
    int minutes;

    @Option(names = "--partitions", defaultValue = "12", paramLabel = "N", description = "Partitions of the topics. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--guarantee", defaultValue = "exactly_once_v2", paramLabel = "exactly_once_v2|at_least_once|both",
            description = "processing.guarantee of (b) and (c); both runs the whole benchmark once per guarantee. Default: ${DEFAULT-VALUE}.")
    String guarantee;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path output;

    @Option(names = "--data-dir", defaultValue = "target/bench-pipeline", paramLabel = "DIR",
            description = "Broker data and Kafka Streams state; wiped at start. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A Kafka Streams or Kelvin setting for (b) and (c) alike, to measure what it changes "
                    + "(for example statestore.cache.max.bytes=0). Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--live", defaultValue = "steady", paramLabel = "steady|jump",
            description = "How the live phase closes the last windows: steady (readings of the next window first, as in production, "
                    + "then the closing readings) or jump (only the closing readings; their commit also opens the next window's "
                    + "store segment, the method of the figures before 2026-11-23's latency work). Default: ${DEFAULT-VALUE}.")
    String live;

    @Option(names = "--bursts", defaultValue = "4", paramLabel = "N",
            description = "Live bursts, each closing every building's window at once: the first after the backlog, each later one "
                    + "after a window of readings sent live. Default: ${DEFAULT-VALUE}.")
    int bursts;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of the fleet's profiles. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> guarantees;
        PipelineBenchmark.LiveClose liveClose;
        try {
            guarantees = validate(buildings, points, minutes, partitions, guarantee);
            if (bursts < 1 || bursts > 10) {
                throw new IllegalArgumentException("--bursts must be between 1 and 10, got " + bursts);
            }
            liveClose = liveClose(live);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "kelvin bench pipeline: %d cores, java %s, max heap %s, live close %s, %d bursts%s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                InferenceBenchmark.bytes(Runtime.getRuntime().maxMemory()), live, bursts,
                overrides.isEmpty() ? "" : ", settings " + overrides);
        PipelineBenchmark.PipelineOptions options = new PipelineBenchmark.PipelineOptions(buildings, points, minutes, partitions, dataDir, seed,
                Map.copyOf(overrides), liveClose, bursts);
        List<PipelineReport> reports = new ArrayList<>();
        for (String g : guarantees) {
            PipelineReport report = new PipelineBenchmark(options, g, out).run();
            report.print(out);
            reports.add(report);
        }
        if (output != null) {
            write(output, reports, overrides, liveClose);
            out.printf("Figures written to %s%n", output.toAbsolutePath());
        }
        boolean complete = reports.stream().allMatch(r -> r.decisions().complete());
        return complete ? 0 : 1;
    }

    static PipelineBenchmark.LiveClose liveClose(String live) {
        for (PipelineBenchmark.LiveClose c : PipelineBenchmark.LiveClose.values()) {
            if (c.name().equalsIgnoreCase(live)) {
                return c;
            }
        }
        throw new IllegalArgumentException("--live must be steady or jump, got " + live);
    }

    /** The guarantees to run; throws {@link IllegalArgumentException} naming the option that cannot work. */
    static List<String> validate(int buildings, int points, int minutes, int partitions, String guarantee) {
        if (buildings < 1 || buildings > 10_000_000) {
            throw new IllegalArgumentException("--buildings must be between 1 and 10,000,000, got " + buildings);
        }
        if (points < 1 || points > 1000) {
            throw new IllegalArgumentException("--points must be between 1 and 1000, got " + points);
        }
        if (minutes < 20 || minutes > 7 * 24 * 60) {
            throw new IllegalArgumentException("--minutes must be between 20 (the backlog must close a window) and 10080 (a week), got " + minutes);
        }
        if (partitions < 1 || partitions > 1000) {
            throw new IllegalArgumentException("--partitions must be between 1 and 1000, got " + partitions);
        }
        if ("both".equals(guarantee)) {
            return GUARANTEES;
        }
        if (!GUARANTEES.contains(guarantee)) {
            throw new IllegalArgumentException("--guarantee must be exactly_once_v2, at_least_once or both, got " + guarantee);
        }
        return List.of(guarantee);
    }

    static void write(Path file, List<PipelineReport> reports, Map<String, String> overrides, PipelineBenchmark.LiveClose live)
            throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("measuredAt", Instant.now().toString());
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("java", System.getProperty("java.version"));
        doc.put("settings", overrides);
        doc.put("liveClose", live.name().toLowerCase(Locale.ROOT));
        List<Map<String, Object>> runs = new ArrayList<>();
        for (PipelineReport r : reports) {
            runs.add(toMap(r));
        }
        doc.put("runs", runs);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    }

    static Map<String, Object> toMap(PipelineReport r) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("guarantee", r.guarantee());
        run.put("sizes", r.sizes());
        for (PipelineReport.Phase p : List.of(r.raw(), r.baseline(), r.optimizer())) {
            Map<String, Object> phase = new LinkedHashMap<>();
            phase.put("records", p.records());
            phase.put("seconds", p.seconds());
            phase.put("startupSeconds", p.startupSeconds());
            phase.put("readingsPerSecond", p.recordsPerSecond());
            phase.put("cpuSeconds", p.cpuSeconds());
            phase.put("brokerCpuSeconds", p.brokerCpuSeconds());
            phase.put("peakHeapBytes", p.peakHeapBytes());
            phase.put("peakRssBytes", p.peakRssBytes());
            phase.put("brokerPeakRssBytes", p.brokerPeakRssBytes());
            phase.put("steady", Map.of("records", p.steady().records(), "seconds", p.steady().seconds(),
                    "cpuSeconds", p.steady().cpuSeconds(), "readingsPerSecond", p.steady().recordsPerSecond()));
            run.put(p == r.raw() ? "raw" : p == r.baseline() ? "baseline" : "optimizer", phase);
        }
        run.put("ratioOptimizerOverBaseline", r.optimizerOverBaseline());
        run.put("ratioOptimizerOverBaselineSteady", r.optimizerOverBaselineSteady());
        run.put("ratioOptimizerOverRaw", r.optimizerOverRaw());
        run.put("decisions", Map.of("expected", r.decisions().expected(), "decided", r.decisions().decided(),
                "model", r.decisions().modelSetpoints(), "fallback", r.decisions().fallbackSetpoints(), "skipped", r.decisions().skipped()));
        run.put("setpointLatencyMs", r.firstBurst());
        run.put("laterBursts", r.bursts().subList(1, r.bursts().size()));
        run.put("footprint", r.footprint());
        run.put("stateBytesPerBuilding", r.stateBytesPerBuilding());
        run.put("heapBytesPerBuilding", r.heapBytesPerBuilding());
        return run;
    }
}
