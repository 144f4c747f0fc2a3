package io.kelvin.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Samples, every 100 ms on a daemon thread, this JVM's heap in use and resident set and the
 * broker child's resident set, keeping the peaks since the last {@link #resetPeaks}. CPU time is
 * read on demand: this JVM's from the OperatingSystemMXBean, the broker's from its process handle.
 * Resident sets come from {@code /proc} (Linux); elsewhere they read as 0.
 */
final class ResourceSampler implements AutoCloseable {
    private static final Duration PERIOD = Duration.ofMillis(100);

    private volatile long peakHeap;
    private volatile long peakRss;
    private volatile long peakBrokerRss;
    private volatile long brokerPid = -1;
    private Thread thread;

    ResourceSampler start(long brokerPid) {
        this.brokerPid = brokerPid;
        thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sampleNow();
                try {
                    Thread.sleep(PERIOD.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "kelvin-bench-sampler");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    synchronized void sampleNow() {
        peakHeap = Math.max(peakHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        peakRss = Math.max(peakRss, rssBytes(ProcessHandle.current().pid()));
        if (brokerPid > 0) {
            peakBrokerRss = Math.max(peakBrokerRss, rssBytes(brokerPid));
        }
    }

    synchronized void resetPeaks() {
        peakHeap = 0;
        peakRss = 0;
        peakBrokerRss = 0;
        sampleNow();
    }

    long peakHeap() {
        return peakHeap;
    }

    long peakRss() {
        return peakRss;
    }

    long peakBrokerRss() {
        return peakBrokerRss;
    }

    /** CPU time of this JVM, all threads, nanoseconds. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU time of the broker's JVM, nanoseconds; -1 when the platform does not say. */
    long brokerCpuNanos() {
        if (brokerPid <= 0) {
            return -1;
        }
        Optional<Duration> cpu = ProcessHandle.of(brokerPid).flatMap(h -> h.info().totalCpuDuration());
        return cpu.map(Duration::toNanos).orElse(-1L);
    }

    /** VmRSS of a process from /proc, bytes; 0 when it cannot be read. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return parseKib(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** {@code VmRSS:   123456 kB} → bytes. */
    static long parseKib(String statusLine) {
        String[] parts = statusLine.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
