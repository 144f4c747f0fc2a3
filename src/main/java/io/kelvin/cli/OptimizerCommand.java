package io.kelvin.cli;

import io.kelvin.optimizer.OptimizerService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kelvin optimizer}: runs the optimizer against a real cluster until stopped. */
@Command(name = "optimizer", mixinStandardHelpOptions = true,
        description = {"Runs the optimizer topology (application.id kelvin-optimizer) until SIGTERM or Ctrl-C.",
                "Needs bootstrap.servers and kelvin.schema.registry.url; Kafka client settings (SASL, TLS) pass through."})
public final class OptimizerCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        return ServiceProcess.runUntilStopped(options.load("optimizer"), OptimizerService::start);
    }
}
