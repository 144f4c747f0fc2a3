package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import io.kelvin.ops.OperationsServer;
import io.kelvin.ops.ProcessMeters;
import io.kelvin.ops.ServiceStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;

/**
 * How {@code kelvin optimizer} and {@code kelvin trainer} run their service: JVM and process
 * meters bound, the service started, its operations endpoint served, until SIGTERM or Ctrl-C.
 */
final class ServiceProcess {

    /** Starts a service: {@code OptimizerService::start}, {@code TrainerService::start}. */
    @FunctionalInterface
    interface Starter<S extends AutoCloseable & ServiceStatus> {
        S start(KelvinConfig config, MeterRegistry meters, Clock clock);
    }

    private ServiceProcess() {}

    /** Runs the service {@code starter} starts until the process is asked to stop; 0 when it stopped cleanly. */
    static <S extends AutoCloseable & ServiceStatus> int runUntilStopped(KelvinConfig config, Starter<S> starter) throws Exception {
        PrometheusMeterRegistry meters = ProcessMeters.prometheusRegistry();
        ShutdownSignal signal = ShutdownSignal.install();
        try (AutoCloseable jvm = ProcessMeters.bindJvmAndProcess(meters);
             S service = starter.start(config, meters, Clock.systemUTC());
             OperationsServer http = OperationsServer.start(config, meters, service)) {
            signal.await();
        } finally {
            signal.closed();
        }
        return 0;
    }
}
