package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import io.kelvin.ops.OperationsServer;
import io.kelvin.ops.ProcessMeters;
import io.kelvin.ops.ServiceStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * How {@code kelvin optimizer} and {@code kelvin trainer} run their service: JVM and process
 * meters bound, the service started, its operations endpoint served, until SIGTERM or Ctrl-C, or
 * until its Kafka Streams client has failed for good ({@code ERROR}, a missing ACL for example):
 * then the process ends with exit code 1 and a line saying why, rather than living on with
 * nothing to do.
 */
final class ServiceProcess {
    /** How often the Kafka Streams state is looked at while waiting for a stop signal. */
    private static final Duration STATE_CHECK = Duration.ofSeconds(1);

    /** Starts a service: {@code OptimizerService::start}, {@code TrainerService::start}. */
    @FunctionalInterface
    interface Starter<S extends AutoCloseable & ServiceStatus> {
        S start(KelvinConfig config, MeterRegistry meters, Clock clock);
    }

    private ServiceProcess() {}

    /**
     * Runs the service {@code starter} starts until the process is asked to stop; 0 when it stopped cleanly.
     *
     * @throws IllegalStateException when Kafka Streams failed for good, naming why (exit code 1)
     */
    static <S extends AutoCloseable & ServiceStatus> int runUntilStopped(KelvinConfig config, Starter<S> starter) throws Exception {
        PrometheusMeterRegistry meters = ProcessMeters.prometheusRegistry();
        ShutdownSignal signal = ShutdownSignal.install();
        try (AutoCloseable jvm = ProcessMeters.bindJvmAndProcess(meters);
             S service = starter.start(config, meters, Clock.systemUTC());
             OperationsServer http = OperationsServer.start(config, meters, service)) {
            while (!signal.await(STATE_CHECK)) {
                if (service.streamsState() == KafkaStreams.State.ERROR) {
                    List<String> reasons = service.notReadyReasons();
                    throw new IllegalStateException("Kafka Streams has stopped (ERROR)"
                            + (reasons.isEmpty() ? "; the log says why" : ": " + String.join("; ", reasons)));
                }
            }
        } finally {
            signal.closed();
        }
        return 0;
    }
}
