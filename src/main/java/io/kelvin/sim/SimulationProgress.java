package io.kelvin.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a run stands.
 *
 * @param simulated       simulated time reached
 * @param stepsDone       steps simulated
 * @param steps           steps in the whole run
 * @param wallElapsed     wall time since the loop started
 * @param lockstepWaits   steps that had to wait for setpoints
 * @param lockstepTimeouts waits that ran out
 * @param commandedShare  share of Kelvin-twin building-steps run on a Kelvin command so far
 */
public record SimulationProgress(Instant simulated, long stepsDone, long steps, Duration wallElapsed, long lockstepWaits,
                                 long lockstepTimeouts, double commandedShare) {

    public double fraction() {
        return steps == 0 ? 1 : stepsDone / (double) steps;
    }
}
