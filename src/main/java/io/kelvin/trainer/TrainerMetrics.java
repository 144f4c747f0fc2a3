package io.kelvin.trainer;

import io.kelvin.schema.TrainingDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trainer's own metrics: trainings by model kind and decision ({@code
 * kelvin_trainer_trainings_total}), their wall-clock duration, and models waiting in the queue
 * ({@code kelvin_trainer_queued_models}) per kind, {@code building} or {@code global}.
 */
public final class TrainerMetrics {
    private final MeterRegistry registry;
    private final AtomicLong queuedBuildings = new AtomicLong();
    private final AtomicLong queuedGlobal = new AtomicLong();

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("kelvin.trainer.queued.models", List.of(Tag.of("kind", "building")), queuedBuildings);
        registry.gauge("kelvin.trainer.queued.models", List.of(Tag.of("kind", "global")), queuedGlobal);
    }

    void trained(boolean pooled, TrainingDecision decision, long durationMs) {
        Counter.builder("kelvin.trainer.trainings").tag("kind", kind(pooled)).tag("decision", decision.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
        Timer.builder("kelvin.trainer.training.duration").tag("kind", kind(pooled)).register(registry).record(Duration.ofMillis(durationMs));
    }

    void queued(boolean pooled, long models) {
        (pooled ? queuedGlobal : queuedBuildings).set(models);
    }

    /** Trainings so far that ended in {@code decision}, of either kind. */
    public double trainings(TrainingDecision decision) {
        return registry.find("kelvin.trainer.trainings").tag("decision", decision.name().toLowerCase(Locale.ROOT))
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private static String kind(boolean pooled) {
        return pooled ? "global" : "building";
    }
}
