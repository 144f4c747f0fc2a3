package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import io.kelvin.optimizer.OptimizerService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
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
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ShutdownSignal signal = ShutdownSignal.install();
        try (OptimizerService service = OptimizerService.start(config, meters, Clock.systemUTC())) {
            signal.await();
        } finally {
            signal.closed();
        }
        return 0;
    }
}
