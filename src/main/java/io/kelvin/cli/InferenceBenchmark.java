package io.kelvin.cli;

import io.kelvin.optimizer.PredictionModel;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Times one model at one batch size from a single calling thread, the way a stream thread calls
 * it: the same input array every call, the predictions copied out every call. Warms up first, so
 * buffer growth and ONNX Runtime's first-run allocations are not measured.
 */
final class InferenceBenchmark {
    /** Fewest measured calls per size, however slow: percentiles of fewer are meaningless. */
    static final int MIN_CALLS = 3;
    /** Share of the heap the arrays of one size may take; the rest is for everything else. */
    static final double HEAP_SHARE = 0.8;

    /** What one batch size measured. Latencies are per call, in nanoseconds. */
    record Result(int rows, long calls, long wallNanos, long p50Nanos, long p99Nanos, long meanNanos) {
        double rowsPerSecond() {
            return (double) rows * calls / (wallNanos / 1e9);
        }

        double microsPerRow() {
            return meanNanos / 1e3 / rows;
        }
    }

    private final LongSupplier nanoTime;

    InferenceBenchmark(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    Result measure(PredictionModel model, float[] features, int rows, float[] out, double warmupSeconds, double minSeconds) {
        long warmupEnd = nanoTime.getAsLong() + (long) (warmupSeconds * 1e9);
        int warmupCalls = 0;
        while (warmupCalls < MIN_CALLS || nanoTime.getAsLong() < warmupEnd) {
            model.predict(features, rows, out);
            warmupCalls++;
        }
        long[] latencies = new long[1024];
        int calls = 0;
        long start = nanoTime.getAsLong();
        long end = start + (long) (minSeconds * 1e9);
        long now = start;
        while (calls < MIN_CALLS || now < end) {
            long before = now;
            model.predict(features, rows, out);
            now = nanoTime.getAsLong();
            if (calls == latencies.length) {
                latencies = Arrays.copyOf(latencies, calls * 2);
            }
            latencies[calls++] = now - before;
        }
        long[] sorted = Arrays.copyOf(latencies, calls);
        Arrays.sort(sorted);
        long total = Arrays.stream(sorted).sum();
        return new Result(rows, calls, now - start, percentile(sorted, 0.50), percentile(sorted, 0.99), total / calls);
    }

    /** Nearest-rank percentile of sorted values: the smallest value with at least {@code p} of them at or below it. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /**
     * Why {@code rows} rows of {@code features} columns cannot be measured in this JVM, if they
     * cannot: the input and output arrays live on the heap, and their copies in ONNX Runtime's
     * direct buffers count against the direct-memory limit. (Memory ONNX Runtime allocates for
     * intermediate results is native and limited by neither.)
     */
    static Optional<String> memoryProblem(long rows, int features, long maxHeap, long usedHeap, long maxDirect, long usedDirect) {
        long floats = rows * (features + 2L);
        if (rows * features > Integer.MAX_VALUE / Float.BYTES) {
            return Optional.of("needs " + bytes(rows * features * Float.BYTES)
                    + " of input in one call, more than a direct buffer holds (2 GiB); split the batch");
        }
        long needed = floats * Float.BYTES;
        long heapFree = (long) (maxHeap * HEAP_SHARE) - usedHeap;
        if (needed > heapFree) {
            String gib = (1 + (long) Math.ceil((needed + usedHeap) / HEAP_SHARE / (1L << 30))) + "g";
            return Optional.of("needs " + bytes(needed) + " of heap for the input and output arrays, " + bytes(Math.max(0, heapFree))
                    + " of the " + bytes(maxHeap) + " max heap is free; give the JVM more heap: -Xmx" + gib
                    + " (with the kelvin script, KELVIN_JAVA_OPTS=-Xmx" + gib + ")");
        }
        if (needed > maxDirect - usedDirect) {
            return Optional.of("needs " + bytes(needed) + " of direct memory for ONNX Runtime's input and output buffers, "
                    + bytes(Math.max(0, maxDirect - usedDirect)) + " of the " + bytes(maxDirect)
                    + " limit is free; raise -XX:MaxDirectMemorySize");
        }
        return Optional.empty();
    }

    /** 72 B, 7.0 KiB, 68.7 MiB, 1.3 GiB. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
