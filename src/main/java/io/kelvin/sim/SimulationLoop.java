package io.kelvin.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a {@link FleetSimulator} against the wall clock: before each step it waits for the
 * {@link SimulationPacer} (speed, never ahead of the wall clock) and for the {@link LockstepGate}
 * (the setpoints the step needs), flushing the readings first so Kelvin can close the windows it
 * is waited on for. Reports progress at a fixed wall-clock interval. Clock and sleeping are
 * injected.
 */
public final class SimulationLoop {

    /** Waits for wall time to pass; {@code Thread::sleep} in a run. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Longest single sleep, so a stop request is seen promptly. */
    private static final Duration MAX_SLEEP = Duration.ofMillis(200);

    private final FleetSimulator simulator;
    private final LockstepGate gate;
    private final Duration lockstepTimeout;
    private final SimulationPacer pacer;
    private final Clock clock;
    private final Sleeper sleeper;

    public SimulationLoop(FleetSimulator simulator, LockstepGate gate, Duration lockstepTimeout, SimulationPacer pacer, Clock clock,
                          Sleeper sleeper) {
        this.simulator = simulator;
        this.gate = gate;
        this.lockstepTimeout = lockstepTimeout;
        this.pacer = pacer;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Simulates every remaining step, or until {@code stop} says so.
     *
     * @param progress      told where the run stands every {@code progressEvery} and once at the end
     * @return the KPIs of what was simulated
     */
    public SimulationResult run(ReadingSink sink, BooleanSupplier stop, Consumer<SimulationProgress> progress, Duration progressEvery)
            throws InterruptedException {
        Instant wallStart = clock.instant();
        Instant nextProgress = wallStart.plus(progressEvery);
        FleetSimulator.Timeline timeline = simulator.timeline();
        while (simulator.stepsDone() < timeline.steps() && !stop.getAsBoolean()) {
            Instant at = timeline.timeOf(simulator.stepsDone());
            Duration delay = pacer.delayBefore(at);
            if (!delay.isZero()) {
                sink.flush();
                sleeper.sleep(delay.compareTo(MAX_SLEEP) > 0 ? MAX_SLEEP : delay);
                continue;
            }
            if (gate.await(at, lockstepTimeout, stop, sink::flush) == LockstepGate.Outcome.CANCELLED) {
                break;
            }
            simulator.step(sink);
            Instant now = clock.instant();
            if (!now.isBefore(nextProgress)) {
                progress.accept(progress(wallStart, now));
                nextProgress = now.plus(progressEvery);
            }
        }
        sink.flush();
        progress.accept(progress(wallStart, clock.instant()));
        return simulator.result(stats());
    }

    private SimulationProgress progress(Instant wallStart, Instant now) {
        FleetSimulator.Timeline timeline = simulator.timeline();
        return new SimulationProgress(timeline.timeOf(simulator.stepsDone()), simulator.stepsDone(), timeline.steps(),
                Duration.between(wallStart, now), gate.waits(), gate.timeouts(), simulator.commandedShare());
    }

    private SimulationResult.LockstepStats stats() {
        return new SimulationResult.LockstepStats(gate.ready(), gate.waits(), gate.waitedMillis(), gate.timeouts(), gate.timeoutNotes());
    }
}
