package io.kelvin.cli;

import io.kelvin.demo.DemoRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kelvin demo}: the embedded default, from nothing to a KPI report in one command. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a real Kafka broker (KRaft, child JVM), creates Kelvin's topics, runs the optimizer and a closed-loop",
                "simulation: a fleet of simulated buildings (3R2C thermal models, heat pumps, chillers, weather, occupants)",
                "publishing readings, a simulated BMS per building applying Kelvin's setpoints (read_committed), and a twin",
                "of every building on its baseline schedule. Simulated time runs in the past, up to now, as fast as the",
                "setpoints allow. Prints progress, then the KPIs (energy, discomfort, peak power; Kelvin vs baseline) and",
                "writes report.html with charts. Stops early on Ctrl-C or after --duration; the KPIs then cover what ran."})
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    SimulationCliOptions simulation;

    @Option(names = "--report", defaultValue = "target/kelvin-demo/report", paramLabel = "DIR",
            description = "Where report.html and its PNG charts go (default: ${DEFAULT-VALUE}).")
    Path reportDir;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Stop after this much wall-clock time, e.g. 5m (default: run until the simulated days are done).")
    Duration duration;

    @Option(names = "--data-dir", defaultValue = "target/kelvin-demo",
            description = "Directory for the broker's data and Kafka Streams state; wiped at start (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--glitch-rate", defaultValue = "0.001",
            description = "Share of readings sent as NaN, to show dead letters (default: ${DEFAULT-VALUE}).")
    double glitchRate;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the keyed topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DemoRunner.Options options = new DemoRunner.Options(simulation.toOptions(glitchRate), dataDir, partitions, reportDir, duration,
                SimulateCommand.commandLine(spec));
        Clock clock = Clock.systemUTC();
        DemoRunner.validate(options, clock.instant());
        ShutdownSignal signal = ShutdownSignal.install();
        try {
            new DemoRunner(options, System.out, clock).run(signal::requested);
            return 0;
        } finally {
            signal.closed();
        }
    }
}
