package io.kelvin.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meter registry of a Kelvin process and the JVM and process meters every process exposes.
 *
 * <p>What a scrape does with odd values (checked in {@code ProcessMetersTest}): NaN and infinite
 * gauges render as {@code NaN} and {@code +Inf}, which the exposition format allows (Kafka
 * reports NaN for a lag it has not measured yet); a gauge whose function throws renders NaN. A
 * meter whose tag keys differ from an earlier meter of the same name (Kafka has such metrics, at
 * client and at partition level) is refused by the Prometheus registry rather than breaking the
 * scrape; Kelvin counts each refusal in {@value #REFUSED} so that a missing series is visible.
 */
public final class ProcessMeters {
    /** Meters the registry refused, by name [kelvin_metrics_refused_total]. */
    public static final String REFUSED = "kelvin.metrics.refused";
    private static final Logger log = LoggerFactory.getLogger(ProcessMeters.class);

    private ProcessMeters() {}

    /** A Prometheus registry that counts the meters it refuses. */
    public static PrometheusMeterRegistry prometheusRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder(REFUSED).description("Meters the Prometheus registry refused (a tag set inconsistent with an earlier meter of that name)")
                .tag("meter", "none").register(registry);
        registry.config().onMeterRegistrationFailed((id, reason) -> {
            log.debug("Meter {} refused: {}", id, reason);
            if (!id.getName().equals(REFUSED)) {
                registry.counter(REFUSED, "meter", id.getName()).increment();
            }
        });
        return registry;
    }

    /**
     * Binds JVM (memory, GC, threads, class loading) and process (CPU, uptime, file descriptors)
     * meters; close the result to stop GC notifications.
     */
    public static AutoCloseable bindJvmAndProcess(MeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }
}
