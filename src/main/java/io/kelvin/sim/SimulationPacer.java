package io.kelvin.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Paces simulated time against the wall clock: at most {@code speed} simulated seconds per wall
 * second since the pacer was made (infinite: as fast as the lockstep allows), and never ahead of
 * the wall clock itself, because the optimizer dead-letters readings more than five minutes in
 * the future and the broker rejects records more than an hour ahead. Reads the injected clock only.
 */
public final class SimulationPacer {
    private final Instant simulationStart;
    private final double speed;
    private final Clock wall;
    private final Instant wallStart;

    /**
     * @param speed simulated seconds per wall second; {@link Double#POSITIVE_INFINITY} for no limit
     */
    public SimulationPacer(Instant simulationStart, double speed, Clock wall) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive, was " + speed);
        }
        this.simulationStart = simulationStart;
        this.speed = speed;
        this.wall = wall;
        this.wallStart = wall.instant();
    }

    /** How long to wait before the step at {@code simulated} may run; zero when it may run now. */
    public Duration delayBefore(Instant simulated) {
        Instant now = wall.instant();
        Instant due = simulated; // never ahead of the wall clock
        if (Double.isFinite(speed)) {
            long simulatedMs = simulated.toEpochMilli() - simulationStart.toEpochMilli();
            Instant paced = wallStart.plusMillis((long) Math.ceil(simulatedMs / speed));
            if (paced.isAfter(due)) {
                due = paced;
            }
        }
        return due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO;
    }

    public double speed() {
        return speed;
    }
}
