package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import io.kelvin.optimizer.OptimizerService;
import io.kelvin.ops.OperationsServer;
import io.kelvin.ops.ProcessMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
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
        KelvinConfig config = options.load("optimizer");
        PrometheusMeterRegistry meters = ProcessMeters.prometheusRegistry();
        ShutdownSignal signal = ShutdownSignal.install();
        try (AutoCloseable jvm = ProcessMeters.bindJvmAndProcess(meters);
             OptimizerService service = OptimizerService.start(config, meters, Clock.systemUTC());
             OperationsServer http = OperationsServer.start(config, meters, service)) {
            signal.await();
        } finally {
            signal.closed();
        }
        return 0;
    }
}
