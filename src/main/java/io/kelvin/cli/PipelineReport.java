package io.kelvin.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one run of {@code kelvin bench pipeline} measured, for one processing guarantee, and the
 * figures derived from it (rates, ratios, percentiles). Pure values: no I/O but {@link #print}.
 */
record PipelineReport(String guarantee, Sizes sizes, Phase raw, Phase baseline, Phase optimizer, Decisions decisions,
                      List<Latency> bursts, Footprint footprint) {

    /** {@code bursts}: the live bursts in order, at least one; the first closes the backlog's last windows. */
    PipelineReport {
        bursts = List.copyOf(bursts);
        if (bursts.isEmpty()) {
            throw new IllegalArgumentException("a report needs the first burst's latency");
        }
    }

    /** The first burst: the windows the backlog left open, closed right after it. */
    Latency firstBurst() {
        return bursts.get(0);
    }

    /** The data set: {@code buildings × points × minutes} readings over {@code partitions} partitions. */
    record Sizes(int buildings, int points, int minutes, int partitions, long readings, int windowsPerBuilding,
                 int backlogWindowsPerBuilding, double preloadSeconds) {
        static Sizes of(int buildings, int points, int minutes, int partitions, int windowMinutes, int graceMinutes) {
            int windows = (minutes + windowMinutes - 1) / windowMinutes;
            // A window closes once stream time reaches its end plus grace; the backlog's last reading is at minute - 1.
            int closedByBacklog = 0;
            for (int k = 0; k < windows; k++) {
                if ((k + 1) * windowMinutes + graceMinutes <= minutes - 1) {
                    closedByBacklog++;
                }
            }
            return new Sizes(buildings, points, minutes, partitions, (long) buildings * points * minutes, windows, closedByBacklog, 0);
        }

        Sizes withPreloadSeconds(double seconds) {
            return new Sizes(buildings, points, minutes, partitions, readings, windowsPerBuilding, backlogWindowsPerBuilding, seconds);
        }

        long backlogWindows() {
            return (long) buildings * backlogWindowsPerBuilding;
        }

        long allWindows() {
            return (long) buildings * windowsPerBuilding;
        }
    }

    /**
     * One reader of the preloaded readings, from its start until it has processed them all.
     *
     * @param startupSeconds   start until the client was RUNNING (0 for the plain consumer)
     * @param cpuSeconds       CPU time of this JVM over the phase
     * @param brokerCpuSeconds CPU time of the broker's JVM (a child process) over the phase; -1 when unknown
     * @param steady           the part of the phase after every building's first window
     */
    record Phase(String name, long records, double seconds, double startupSeconds, double cpuSeconds, double brokerCpuSeconds,
                 long peakHeapBytes, long peakRssBytes, long brokerPeakRssBytes, Steady steady) {
        double recordsPerSecond() {
            return seconds > 0 ? records / seconds : 0;
        }

        /** This JVM's CPU seconds per million records. */
        double cpuSecondsPerMillion() {
            return records > 0 ? cpuSeconds / (records / 1e6) : 0;
        }
    }

    /**
     * A Kafka Streams phase from every building's first window emitted (decided, for the
     * optimizer) to its end: start-up and the first emit-on-close check of each task (which walks
     * the record cache from the epoch once per fresh application id) lie before it, so it is the
     * cost a running deployment pays per reading, window closes and decisions included. {@link
     * #NONE} for a phase without windows; a short tail or none when the backlog closes only one
     * window per building.
     *
     * @param records    readings processed after that
     * @param seconds    wall time from then to the end
     * @param cpuSeconds CPU time of this JVM from then to the end
     */
    record Steady(long records, double seconds, double cpuSeconds) {
        static final Steady NONE = new Steady(0, 0, 0);

        /** NaN when nothing was measured. */
        double recordsPerSecond() {
            return records > 0 && seconds > 0 ? records / seconds : Double.NaN;
        }
    }

    /**
     * What the optimizer decided: every window is expected to yield a setpoint (or a counted skip).
     * The counters are in-memory metrics, not transactional: work redone after an aborted
     * transaction (exactly-once) counts again, so more than expected means replays, not duplicates
     * on the setpoints topic (a read_committed reader never sees the aborted ones).
     */
    record Decisions(long expected, long windowsClosed, long modelSetpoints, long fallbackSetpoints, long skipped) {
        long decided() {
            return modelSetpoints + fallbackSetpoints + skipped;
        }

        boolean complete() {
            return decided() >= expected;
        }

        long redone() {
            return Math.max(0, decided() - expected);
        }
    }

    /**
     * Setpoint latency of a live burst, from sending the closing readings: percentiles of each
     * setpoint's arrival at a read_committed consumer, and when the optimizer reached three
     * milestones on the way (NaN when not observed): the first live window closed (the closing
     * reading was polled and processed), every live window closed (Kafka Streams' emit ended),
     * and every live window decided (forwarded to the producer, not yet committed). {@code
     * streamThreadCpuMs} is the CPU time the optimizer's stream threads used from the send until
     * the last setpoint was read: the burst's cost, which the machine's other load does not change
     * the way it changes wall time. {@code jitMs} is the time this JVM's JIT compiler threads spent
     * compiling meanwhile, CPU the burst's threads did not get on a small machine.
     */
    record Latency(long count, double p50Ms, double p99Ms, double maxMs, double firstWindowClosedMs, double allWindowsClosedMs,
                   double allDecidedMs, double streamThreadCpuMs, double jitMs) {
        static Latency of(long[] nanos) {
            return of(nanos, -1, -1, -1, -1, -1);
        }

        /** {@code nanos} per setpoint; the milestones, CPU and compile time in nanoseconds, negative when not observed. */
        static Latency of(long[] nanos, long firstClosedNanos, long allClosedNanos, long allDecidedNanos, long cpuNanos, long jitNanos) {
            if (nanos.length == 0) {
                return new Latency(0, Double.NaN, Double.NaN, Double.NaN, millis(firstClosedNanos), millis(allClosedNanos),
                        millis(allDecidedNanos), millis(cpuNanos), millis(jitNanos));
            }
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Latency(sorted.length, InferenceBenchmark.percentile(sorted, 0.50) / 1e6,
                    InferenceBenchmark.percentile(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6,
                    millis(firstClosedNanos), millis(allClosedNanos), millis(allDecidedNanos), millis(cpuNanos), millis(jitNanos));
        }

        private static double millis(long nanos) {
            return nanos < 0 ? Double.NaN : nanos / 1e6;
        }
    }

    /**
     * The optimizer's footprint after the run.
     *
     * @param stateBytes       bytes under its state directory (RocksDB stores, checkpoints)
     * @param heapGrowthBytes  heap in use after a full GC at the end of the optimizer phase, less
     *                         the same before it started
     * @param peakRssBytes     this JVM's peak resident set over the optimizer phase
     */
    record Footprint(long stateBytes, long heapGrowthBytes, long peakRssBytes) {}

    /** c/b: the optimizer's rate as a share of the minimal windowed count's. */
    double optimizerOverBaseline() {
        return ratio(optimizer.recordsPerSecond(), baseline.recordsPerSecond());
    }

    /** c/a: the optimizer's rate as a share of the raw consumer's. */
    double optimizerOverRaw() {
        return ratio(optimizer.recordsPerSecond(), raw.recordsPerSecond());
    }

    /** c/b from each one's first round of windows on (see {@link Steady}). */
    double optimizerOverBaselineSteady() {
        return ratio(optimizer.steady().recordsPerSecond(), baseline.steady().recordsPerSecond());
    }

    double baselineOverRaw() {
        return ratio(baseline.recordsPerSecond(), raw.recordsPerSecond());
    }

    static double ratio(double numerator, double denominator) {
        return denominator > 0 ? numerator / denominator : Double.NaN;
    }

    double stateBytesPerBuilding() {
        return (double) footprint.stateBytes() / sizes.buildings();
    }

    double heapBytesPerBuilding() {
        return (double) footprint.heapGrowthBytes() / sizes.buildings();
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%n%s: %,d buildings x %d points x %d minutes = %,d readings, %d partitions (preload %.1f s)%n",
                guarantee, sizes.buildings(), sizes.points(), sizes.minutes(), sizes.readings(), sizes.partitions(), sizes.preloadSeconds());
        out.printf(Locale.ROOT, "%-32s %12s %9s %9s %12s %9s %11s %10s %10s%n",
                "phase", "readings", "seconds", "start-up", "readings/s", "CPU s", "broker CPU", "peak heap", "peak RSS");
        for (Phase p : List.of(raw, baseline, optimizer)) {
            out.printf(Locale.ROOT, "%-32s %,12d %9.2f %9.2f %,12.0f %9.1f %11s %10s %10s%n", p.name(), p.records(), p.seconds(),
                    p.startupSeconds(), p.recordsPerSecond(), p.cpuSeconds(),
                    p.brokerCpuSeconds() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", p.brokerCpuSeconds()),
                    InferenceBenchmark.bytes(p.peakHeapBytes()), InferenceBenchmark.bytes(p.peakRssBytes()));
        }
        out.printf(Locale.ROOT, "ratios: c/b %.2f   c/a %.3f   b/a %.3f%n", optimizerOverBaseline(), optimizerOverRaw(), baselineOverRaw());
        out.printf(Locale.ROOT, "after every building's first window (start-up and each task's one-off first emit check excluded):"
                        + " (b) %,.0f readings/s, CPU %.1f s; (c) %,.0f readings/s, CPU %.1f s; c/b %.2f%n",
                baseline.steady().recordsPerSecond(), baseline.steady().cpuSeconds(), optimizer.steady().recordsPerSecond(),
                optimizer.steady().cpuSeconds(), optimizerOverBaselineSteady());
        out.printf(Locale.ROOT, "decisions: %,d of %,d windows (model %,d, fallback %,d, skipped %,d)%s%n", decisions.decided(),
                decisions.expected(), decisions.modelSetpoints(), decisions.fallbackSetpoints(), decisions.skipped(),
                !decisions.complete() ? "  INCOMPLETE"
                        : decisions.redone() > 0 ? String.format(Locale.ROOT, "  (%,d decided again after aborted transactions)", decisions.redone()) : "");
        for (int i = 0; i < bursts.size(); i++) {
            Latency latency = bursts.get(i);
            out.printf(Locale.ROOT, "setpoint latency after the closing readings were sent, burst %d %s (%,d setpoints): p50 %.0f ms, p99 %.0f ms,"
                            + " max %.0f ms%n", i + 1, i == 0 ? "(after the backlog)" : "(after a live window)",
                    latency.count(), latency.p50Ms(), latency.p99Ms(), latency.maxMs());
            out.printf(Locale.ROOT, "  burst timeline: first live window closed %.0f ms, all closed %.0f ms, all decided %.0f ms, all read %.0f ms;"
                            + " stream threads' CPU %.0f ms, JIT compilation %.0f ms%n",
                    latency.firstWindowClosedMs(), latency.allWindowsClosedMs(), latency.allDecidedMs(), latency.maxMs(),
                    latency.streamThreadCpuMs(), latency.jitMs());
        }
        out.printf(Locale.ROOT, "optimizer state %s (%s per building), heap growth %s (%s per building), peak RSS %s%n",
                InferenceBenchmark.bytes(footprint.stateBytes()), InferenceBenchmark.bytes(Math.round(stateBytesPerBuilding())),
                InferenceBenchmark.bytes(Math.max(0, footprint.heapGrowthBytes())),
                InferenceBenchmark.bytes(Math.max(0, Math.round(heapBytesPerBuilding()))), InferenceBenchmark.bytes(footprint.peakRssBytes()));
        out.flush();
    }
}
