package io.kelvin.sim;

import java.time.Instant;
import java.util.List;

/**
 * What a run measured: KPIs of both twins per building and for the fleet over the evaluated
 * period, the traces for the report, and how the closed loop behaved.
 *
 * @param start            simulated start (the learning period begins here)
 * @param evaluationStart  KPIs count from here
 * @param end              planned end
 * @param simulatedUntil   where the run actually stopped (before {@code end} when stopped early)
 * @param buildings        per building, in fleet order
 * @param fleetKelvin      fleet KPIs under Kelvin
 * @param fleetBaseline    fleet KPIs under the baseline schedule
 * @param lockstep         how often the simulation waited for setpoints
 * @param bms              what the simulated BMSs did with the commands
 */
public record SimulationResult(Instant start, Instant evaluationStart, Instant end, Instant simulatedUntil,
                               List<BuildingResult> buildings, ControlKpis fleetKelvin, ControlKpis fleetBaseline,
                               LockstepStats lockstep, BmsStats bms) {

    public SimulationResult {
        buildings = List.copyOf(buildings);
    }

    public boolean complete() {
        return !simulatedUntil.isBefore(end);
    }

    /** One building's KPIs under both controllers, and its trace. */
    public record BuildingResult(BuildingSpec spec, ControlKpis kelvin, ControlKpis baseline, BuildingTrace trace) {}

    /**
     * @param ready    steps whose setpoints were there already
     * @param waits    steps that waited and got them
     * @param waitedMs wall time spent in those waits
     * @param timeouts waits that ran out (the run then depends on machine speed there)
     * @param notes    what the first timeouts were missing
     */
    public record LockstepStats(long ready, long waits, long waitedMs, long timeouts, List<String> notes) {
        public LockstepStats {
            notes = List.copyOf(notes);
        }
    }

    /**
     * @param accepted       commands taken
     * @param duplicates     dropped as seen before
     * @param stale          dropped as older than one already taken
     * @param invalid        rejected (non-finite setpoint)
     * @param clamped        outside the profile's limits, clamped
     * @param commandedSteps Kelvin-twin building-steps run on a command
     * @param scheduleSteps  Kelvin-twin building-steps run on the default schedule (no command yet, or expired)
     */
    public record BmsStats(long accepted, long duplicates, long stale, long invalid, long clamped, long commandedSteps,
                           long scheduleSteps) {

        public double commandedShare() {
            long all = commandedSteps + scheduleSteps;
            return all == 0 ? 0 : commandedSteps / (double) all;
        }
    }
}
