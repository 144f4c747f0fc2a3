package io.kelvin.cli;

import io.kelvin.demo.DemoRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kelvin demo}: the embedded default, from nothing to setpoints in one command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a real Kafka broker (KRaft, child JVM), creates Kelvin's topics, runs the optimizer",
                "and a simulated fleet with a simulated BMS in accelerated time, and prints progress.",
                "Stops after --duration, or on Ctrl-C."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--buildings", defaultValue = "20", description = "Simulated buildings (default: ${DEFAULT-VALUE}).")
    int buildings;

    @Option(names = "--days", defaultValue = "2", description = "How far back simulated time starts, days (default: ${DEFAULT-VALUE}).")
    double days;

    @Option(names = "--speed", defaultValue = "300", description = "Simulated seconds per wall-clock second (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the fleet and its weather (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration", defaultValue = "PT90S", converter = DurationConverter.class,
            description = "Wall-clock run time, ISO-8601 (PT90S) or 90s / 5m (default: 90s).")
    Duration duration;

    @Option(names = "--data-dir", defaultValue = "target/kelvin-demo",
            description = "Directory for the broker's data and Kafka Streams state; wiped at start (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--glitch-rate", defaultValue = "0.001",
            description = "Share of readings sent as NaN, to show dead letters (default: ${DEFAULT-VALUE}).")
    double glitchRate;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the keyed topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        if (buildings < 1 || speed <= 0 || days <= 0 || partitions < 1 || glitchRate < 0 || glitchRate > 1) {
            throw new IllegalArgumentException("--buildings, --speed, --days and --partitions must be positive, --glitch-rate within [0, 1]");
        }
        ShutdownSignal signal = ShutdownSignal.install();
        try {
            new DemoRunner(new DemoRunner.Options(buildings, days, speed, seed, duration, dataDir, glitchRate, partitions), System.out)
                    .run(signal::requested);
        } finally {
            signal.closed();
        }
        return 0;
    }
}
