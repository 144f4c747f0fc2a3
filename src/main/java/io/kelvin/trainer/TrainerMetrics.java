package io.kelvin.trainer;

import io.kelvin.schema.TrainingDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
        // Registered before the first training, so that the series exist (at zero) from the start.
        for (boolean pooled : new boolean[] {false, true}) {
            for (TrainingDecision decision : TrainingDecision.values()) {
                if (decision != TrainingDecision.UNKNOWN) {
                    trainings(pooled, decision);
                }
            }
            duration(pooled);
        }
    }

    private Counter trainings(boolean pooled, TrainingDecision decision) {
        return Counter.builder("kelvin.trainer.trainings").description("Trainings by model kind and decision")
                .tag("kind", kind(pooled)).tag("decision", decision.name().toLowerCase(Locale.ROOT)).register(registry);
    }

    private Timer duration(boolean pooled) {
        return Timer.builder("kelvin.trainer.training.duration").description("Wall-clock duration of one training, export and check included")
                .tag("kind", kind(pooled)).register(registry);
    }

    void trained(boolean pooled, TrainingDecision decision, long durationMs) {
        trainings(pooled, decision).increment();
        duration(pooled).record(Duration.ofMillis(durationMs));
    }

    void queued(boolean pooled, long models) {
        (pooled ? queuedGlobal : queuedBuildings).set(models);
    }

    /** Trainings so far that ended in {@code decision}, of either kind. */
    public double trainings(TrainingDecision decision) {
        return registry.find("kelvin.trainer.trainings").tag("decision", decision.name().toLowerCase(Locale.ROOT))
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Trainings so far, of either kind and any decision. */
    public double trainings() {
        return registry.find("kelvin.trainer.trainings").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Models due and waiting for a training slot, of the pooled model or of buildings. */
    public long queued(boolean pooled) {
        return (pooled ? queuedGlobal : queuedBuildings).get();
    }

    /** Mean wall-clock duration of one training of the given kind so far, export and check included; null before any. */
    public Duration meanTrainingDuration(boolean pooled) {
        Timer timer = duration(pooled);
        return timer.count() == 0 ? null : Duration.ofNanos((long) timer.mean(TimeUnit.NANOSECONDS));
    }

    private static String kind(boolean pooled) {
        return pooled ? "global" : "building";
    }
}
