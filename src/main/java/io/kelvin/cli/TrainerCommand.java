package io.kelvin.cli;

import io.kelvin.trainer.TrainerService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kelvin trainer}: runs the trainer against a real cluster until stopped. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
        description = {"Runs the trainer topology (application.id kelvin-trainer) until SIGTERM or Ctrl-C.",
                "Retrains each building's model and the pooled global model once per building-local day, and releases those that beat the serving model.",
                "Needs bootstrap.servers and kelvin.schema.registry.url; Kafka client settings (SASL, TLS) pass through."})
public final class TrainerCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        return ServiceProcess.runUntilStopped(options.load("trainer"), TrainerService::start);
    }
}
