package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.sim.ClosedLoopSimulation;
import io.kelvin.sim.KpiTable;
import io.kelvin.sim.SimulationReport;
import io.kelvin.sim.SimulationResult;
import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kelvin simulate}: the simulated fleet and its BMSs against any cluster where a Kelvin
 * optimizer runs, for load and integration tests. Creates nothing: publishes building profiles and
 * readings to the existing topics, reads the setpoints back with read_committed, prints the KPIs.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the simulated fleet (buildings, devices, BMSs, baseline twins) against an existing cluster on which a",
                "Kelvin optimizer runs, in lockstep with its setpoints, and prints the KPIs (Kelvin vs baseline).",
                "",
                "Creates no topic: it publishes BuildingProfiles to the buildings topic and SensorReadings to the readings topic,",
                "and reads the setpoints topic (read_committed) from its end. Simulated time runs in the past up to now, so the",
                "optimizer must not have seen newer readings on those topics (its stream time would make every simulated reading",
                "late): use topics and an application.id of their own for a simulation."},
        footer = {"",
                "Example:",
                "  kelvin simulate --bootstrap-servers broker:9092 --schema-registry-url http://registry:8081 \\",
                "      --buildings 100 --days 3 --learning-days 1 --speed max --seed 7 --report sim-report"})
public final class SimulateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    SimulationCliOptions simulation;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write report.html and its PNG charts into DIR.")
    Path reportDir;

    @Option(names = "--glitch-rate", defaultValue = "0", description = "Share of readings sent as NaN (default: ${DEFAULT-VALUE}).")
    double glitchRate;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        KelvinConfig config = configOptions.load(ProduceCommand.CONFIG_ROLE);
        var options = simulation.toOptions(glitchRate);
        options.validate(Duration.ofMillis(config.getLong(KelvinConfig.WINDOW_SIZE_MS_CONFIG)), Clock.systemUTC().instant());
        PrintStream out = System.out;
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            TopicCatalogue topics = new TopicCatalogue(config, new KelvinSerdes(registry));
            checkTopics(config, topics, options.length(), out);
            ShutdownSignal signal = ShutdownSignal.install();
            try {
                SimulationResult result = new ClosedLoopSimulation(options, config, topics, out, Clock.systemUTC())
                        .run(signal::requested, () -> "");
                KpiTable.print(result, 25, out);
                if (reportDir != null) {
                    out.printf("Report: %s%n", SimulationReport.write(result, reportDir, commandLine(spec)).toAbsolutePath());
                }
                if (result.lockstep().timeouts() > 0 && result.bms().accepted() == 0) {
                    out.println("No setpoint arrived at all: is an optimizer running on these topics, with a stream time"
                            + " not ahead of the simulation's start?");
                    return 1;
                }
                return 0;
            } finally {
                signal.closed();
            }
        }
    }

    /** How the command was invoked, for the report. */
    static String commandLine(CommandLine.Model.CommandSpec spec) {
        CommandLine.ParseResult root = spec.root().commandLine().getParseResult();
        List<String> args = root == null ? List.of() : root.originalArgs();
        return ("kelvin " + String.join(" ", args)).strip();
    }

    /** The topics must exist; a retention shorter than the simulated history would delete it while the run reads it. */
    private static void checkTopics(KelvinConfig config, TopicCatalogue topics, Duration history, PrintStream out) throws Exception {
        List<Topic<?, ?>> needed = List.of(topics.readings(), topics.buildings(), topics.setpoints());
        try (Admin admin = Admin.create(config.clientSettings())) {
            Set<String> existing;
            try {
                existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Cannot list the cluster's topics at " + config.clientSettings().get("bootstrap.servers")
                        + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
            }
            List<String> missing = new ArrayList<>();
            for (Topic<?, ?> t : needed) {
                if (!existing.contains(t.name())) {
                    missing.add(t.name());
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("Topics " + missing + " do not exist on the cluster; kelvin simulate creates none"
                        + " (create them as for the optimizer, or name others with -D kelvin.topic.readings=...)");
            }
            try {
                List<ConfigResource> resources = List.of(new ConfigResource(ConfigResource.Type.TOPIC, topics.readings().name()),
                        new ConfigResource(ConfigResource.Type.TOPIC, topics.setpoints().name()));
                Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
                for (Map.Entry<ConfigResource, Config> e : configs.entrySet()) {
                    ConfigEntry retention = e.getValue().get(TopicConfig.RETENTION_MS_CONFIG);
                    long ms = retention == null ? -1 : Long.parseLong(retention.value());
                    if (ms >= 0 && ms < history.plusDays(1).toMillis()) {
                        out.printf("Warning: %s keeps records for %.1f days only, less than the %.1f simulated days plus one:"
                                + " the broker will delete simulated history while the run uses it.%n", e.getKey().name(),
                                ms / 86_400_000.0, history.toMinutes() / 1440.0);
                    }
                }
            } catch (ExecutionException | TimeoutException e) {
                out.println("Could not read the topics' retention (" + e.getMessage() + "); going on.");
            }
        }
    }
}
