package io.kelvin.optimizer;

import io.kelvin.schema.Metric;
import io.kelvin.schema.SetpointSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The optimizer's own meters (Prometheus names): readings accepted by metric ({@code
 * kelvin_readings_processed_total}), windows closed, setpoints by source, feedback, skipped
 * windows by reason, batch sizes, commands that carry a ventilation airflow ({@code
 * kelvin_ventilation_commands_total}), and the absolute error of each logged prediction against the
 * outcome its feedback observed ({@code kelvin_prediction_error_energy_kwh}, {@code
 * kelvin_prediction_error_indoor_celsius}: summaries whose {@code _sum / _count} is the MAE).
 */
public final class OptimizerMetrics {
    private final MeterRegistry registry;
    private final Counter windowsClosed;
    private final Counter feedback;
    private final Counter ventilation;
    private final Map<SetpointSource, Counter> setpoints = new EnumMap<>(SetpointSource.class);
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batches = new ConcurrentHashMap<>();
    private final Map<Metric, Counter> readings = new EnumMap<>(Metric.class);
    private final DistributionSummary energyError;
    private final DistributionSummary indoorError;

    public OptimizerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.windowsClosed = Counter.builder("kelvin.windows.closed").description("Building windows closed and decided on").register(registry);
        this.feedback = Counter.builder("kelvin.feedback").description("Feedback records emitted (decision joined with outcome)").register(registry);
        this.ventilation = Counter.builder("kelvin.ventilation.commands")
                .description("Setpoint commands that carry a demand-controlled outdoor airflow (ventilationLps)").register(registry);
        for (Metric metric : ReadingValidator.PLAUSIBLE.keySet()) {
            readings.put(metric, Counter.builder("kelvin.readings.processed").description("Valid readings passed on to the windows, by metric")
                    .tag("metric", metric.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        this.energyError = DistributionSummary.builder("kelvin.prediction.error.energy").baseUnit("kwh")
                .description("Absolute error of the predicted energy of a model decision against the energy its next window observed")
                .register(registry);
        this.indoorError = DistributionSummary.builder("kelvin.prediction.error.indoor").baseUnit("celsius")
                .description("Absolute error of the predicted indoor temperature of a model decision against the mean its next window observed")
                .register(registry);
        for (SetpointSource source : SetpointSource.values()) {
            setpoints.put(source, Counter.builder("kelvin.setpoints").description("Setpoint commands emitted, by source")
                    .tag("source", source.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        registerKnownReasons();
    }

    void reading(Metric metric) {
        readings.get(metric).increment();
    }

    /** A decision's predictions met their outcome; a null on either side records nothing for that quantity. */
    void predictionOutcome(Double predictedEnergyKwh, Double observedEnergyKwh, Double predictedIndoorC, Double observedIndoorC) {
        if (predictedEnergyKwh != null && observedEnergyKwh != null && Double.isFinite(predictedEnergyKwh - observedEnergyKwh)) {
            energyError.record(Math.abs(predictedEnergyKwh - observedEnergyKwh));
        }
        if (predictedIndoorC != null && observedIndoorC != null && Double.isFinite(predictedIndoorC - observedIndoorC)) {
            indoorError.record(Math.abs(predictedIndoorC - observedIndoorC));
        }
    }

    /** Meters registered before their first event, so that rate() over them starts at zero. */
    private void registerKnownReasons() {
        for (String reason : List.of("no-profile", "invalid-profile", "decision-without-outcome")) {
            skippedCounter(reason);
        }
        for (String trigger : List.of("full", "linger", "ordering")) {
            batchSummary(trigger);
        }
    }

    void ventilationCommanded() {
        ventilation.increment();
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
        skippedCounter(reason).increment();
    }

    private Counter skippedCounter(String reason) {
        return skipped.computeIfAbsent(reason, r -> Counter.builder("kelvin.windows.skipped")
                .description("Windows or decisions that produced no output, by reason").tag("reason", r).register(registry));
    }

    /** A batch of closed windows decided together; {@code trigger}: full, linger or ordering. */
    void batch(String trigger, int windows) {
        batchSummary(trigger).record(windows);
    }

    private DistributionSummary batchSummary(String trigger) {
        return batches.computeIfAbsent(trigger, t -> DistributionSummary.builder("kelvin.optimizer.batch.windows")
                .description("Closed windows decided in one inference batch, by what flushed it")
                .tag("trigger", t).register(registry));
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

    public double readingsProcessed(Metric metric) {
        return readings.get(metric).count();
    }

    /** Mean absolute error of the energy predictions so far (NaN before the first). */
    public double energyMae() {
        return energyError.count() == 0 ? Double.NaN : energyError.totalAmount() / energyError.count();
    }

    /** Mean absolute error of the indoor temperature predictions so far (NaN before the first). */
    public double indoorMae() {
        return indoorError.count() == 0 ? Double.NaN : indoorError.totalAmount() / indoorError.count();
    }

    public long predictionErrorCount() {
        return energyError.count();
    }

    public double skippedCount(String reason) {
        Counter c = skipped.get(reason);
        return c == null ? 0 : c.count();
    }
}
