package io.kelvin.cli;

import io.kelvin.sim.SimulationOptions;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The options {@code kelvin demo} and {@code kelvin simulate} share: what to simulate and how fast. */
public final class SimulationCliOptions {

    @Option(names = "--buildings", defaultValue = "20", description = "Simulated buildings (default: ${DEFAULT-VALUE}).")
    int buildings;

    @Option(names = "--days", defaultValue = "2", description = "Simulated days in all, learning included (default: ${DEFAULT-VALUE}).")
    double days;

    @Option(names = "--learning-days", defaultValue = "1",
            description = "The first days, left out of the KPIs while Kelvin learns and both twins settle (default: ${DEFAULT-VALUE}).")
    double learningDays;

    @Option(names = "--speed", defaultValue = "max", converter = SpeedConverter.class, paramLabel = "X|max",
            description = "Most simulated seconds per wall second, or max: as fast as the setpoints allow (default: ${DEFAULT-VALUE}). "
                    + "Results do not depend on it: the simulation waits for every window's setpoints.")
    double speed;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the fleet, weather, people and sensor noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", converter = InstantConverter.class, paramLabel = "INSTANT",
            description = "Simulated start, ISO-8601 (default: 00:00 UTC of the latest Monday that leaves room for --days before now).")
    Instant start;

    @Option(names = "--reading-interval", defaultValue = "1m", converter = DurationConverter.class,
            description = "Devices publish every point this often; also the simulation step (default: 1m).")
    Duration readingInterval;

    @Option(names = "--command-latency", defaultValue = "1m", converter = DurationConverter.class,
            description = "A setpoint reaches the equipment this long after its window closed; at least one reading interval (default: 1m).")
    Duration commandLatency;

    @Option(names = "--lockstep-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "Longest wait for a window's setpoints before the simulation goes on without them (counted; default: 60s).")
    Duration lockstepTimeout;

    SimulationOptions toOptions(double glitchRate) {
        return new SimulationOptions(buildings, days, learningDays, speed, seed, start, readingInterval, commandLatency, lockstepTimeout,
                glitchRate, Duration.ofSeconds(5));
    }
}
