package io.kelvin.optimizer;

import io.kelvin.schema.SetpointSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The optimizer's own counters (Prometheus names: {@code kelvin_windows_closed_total}, ...). */
public final class OptimizerMetrics {
    private final MeterRegistry registry;
    private final Counter windowsClosed;
    private final Counter feedback;
    private final Map<SetpointSource, Counter> setpoints = new EnumMap<>(SetpointSource.class);
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batches = new ConcurrentHashMap<>();

    public OptimizerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.windowsClosed = Counter.builder("kelvin.windows.closed").description("Building windows closed and decided on").register(registry);
        this.feedback = Counter.builder("kelvin.feedback").description("Feedback records emitted (decision joined with outcome)").register(registry);
        for (SetpointSource source : SetpointSource.values()) {
            setpoints.put(source, Counter.builder("kelvin.setpoints").description("Setpoint commands emitted, by source")
                    .tag("source", source.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
    }

    void windowClosed() {
        windowsClosed.increment();
    }

    void setpoint(SetpointSource source) {
        setpoints.get(source).increment();
    }

    void feedback() {
        feedback.increment();
    }

    /**
     * A closed window that produced no command ({@code no-profile}, {@code invalid-profile}) or a
     * decision that got no feedback ({@code decision-without-outcome}).
     */
    void skipped(String reason) {
        skipped.computeIfAbsent(reason, r -> Counter.builder("kelvin.windows.skipped")
                .description("Windows or decisions that produced no output, by reason").tag("reason", r).register(registry)).increment();
    }

    /** A batch of closed windows decided together; {@code trigger}: full, linger or ordering. */
    void batch(String trigger, int windows) {
        batches.computeIfAbsent(trigger, t -> DistributionSummary.builder("kelvin.optimizer.batch.windows")
                .description("Closed windows decided in one inference batch, by what flushed it")
                .tag("trigger", t).register(registry)).record(windows);
    }

    public double windowsClosed() {
        return windowsClosed.count();
    }

    public double setpoints(SetpointSource source) {
        return setpoints.get(source).count();
    }

    public double feedbackCount() {
        return feedback.count();
    }

    public double skippedCount(String reason) {
        Counter c = skipped.get(reason);
        return c == null ? 0 : c.count();
    }
}
