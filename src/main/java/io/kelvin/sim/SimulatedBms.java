package io.kelvin.sim;

import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.SetpointCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One building's simulated BMS on the Kelvin side: it takes Kelvin's {@link SetpointCommand}s as
 * a BMS integrator is told to (README, "For BMS integrators") and otherwise runs its
 * {@link DefaultSchedule}.
 *
 * <ul>
 *   <li>A command whose {@code decisionId} was seen is a duplicate, one whose {@code windowEnd}
 *       is older than the newest received is stale: both are dropped and counted.</li>
 *   <li>A command reaches the equipment {@code applyDelay} after its window ended (the optimizer's
 *       grace plus the delivery latency; {@link LockstepGate} makes sure it has arrived by then),
 *       so what the building does never depends on how fast the machine runs.</li>

 *   <li>The setpoint is clamped to the profile's {@code [minSetpointC, maxSetpointC]} (the BMS
 *       clamps too; counted) and applied with the BMS's dead band until {@code validUntil}; after
 *       that the default schedule takes over again. A non-finite setpoint is rejected.</li>
 *   <li>A commanded {@code ventilationLps} sets the air-handling unit's outdoor airflow while it
 *       runs, clamped to the profile's {@code [minVentilationLps, designVentilationLps]} (counted
 *       as clamped too) and set in the unit's airflow steps ({@link BuildingThermalModel#airflowStep});
 *       without one, or when the profile gives no ventilation limits, the unit runs at its design
 *       airflow. A non-finite airflow is rejected.</li>
 *   <li>Outside occupied mode (occupied periods and their warm-up) the BMS keeps its night
 *       set-up as the lowest cooling setpoint: a low setpoint at night lets the building cool
 *       down by itself, it does not start the chillers. Heating follows the command.</li>
 * </ul>
 *
 * <p>Thread-safe: commands arrive on the consumer's thread, the simulation asks on its own.
 */
public final class SimulatedBms {

    /** What became of an offered command. */
    public enum Offer { ACCEPTED, DUPLICATE, STALE, INVALID, OTHER_BUILDING }

    private final BuildingProfile profile;
    private final DefaultSchedule schedule;
    private final long applyDelayMs;
    private final TreeMap<Long, SetpointCommand> pending = new TreeMap<>();
    private long newestWindowEndMs = Long.MIN_VALUE;
    private SetpointCommand current;
    private double currentSetpointC;
    private double currentAirflowShare = 1;
    private long accepted;
    private long duplicates;
    private long stale;
    private long invalid;
    private long clamped;
    private long expiredSteps;

    public SimulatedBms(DefaultSchedule schedule, Duration applyDelay) {
        this.profile = schedule.profile();
        this.schedule = schedule;
        this.applyDelayMs = applyDelay.toMillis();
    }

    public synchronized Offer offer(SetpointCommand command) {
        if (!profile.getBuildingId().equals(command.getBuildingId())) {
            return Offer.OTHER_BUILDING;
        }
        long windowEnd = command.getWindowEnd().toEpochMilli();
        if (windowEnd == newestWindowEndMs) {
            duplicates++;
            return Offer.DUPLICATE;
        }
        if (windowEnd < newestWindowEndMs) {
            stale++;
            return Offer.STALE;
        }
        newestWindowEndMs = windowEnd;
        Double ventilation = command.getVentilationLps();
        if (!Double.isFinite(command.getSetpointC()) || (ventilation != null && !Double.isFinite(ventilation))) {
            invalid++;
            return Offer.INVALID;
        }
        pending.put(windowEnd, command);
        accepted++;
        return Offer.ACCEPTED;
    }

    /** The setpoints in force at {@code at} (whose local time is {@code moment}). */
    public synchronized ZoneSetpoints setpointsAt(Instant at, OccupancyCalendar.LocalMoment moment) {
        long t = at.toEpochMilli();
        Map.Entry<Long, SetpointCommand> due;
        while ((due = pending.firstEntry()) != null && due.getKey() + applyDelayMs <= t) {
            pending.pollFirstEntry();
            current = due.getValue();
            double requested = current.getSetpointC();
            currentSetpointC = Math.max(profile.getMinSetpointC(), Math.min(profile.getMaxSetpointC(), requested));
            Double requestedLps = current.getVentilationLps();
            Double lps = clampedVentilationLps(requestedLps);
            if (currentSetpointC != requested || (lps != null && !lps.equals(requestedLps))) {
                clamped++;
            }
            currentAirflowShare = airflowShare(profile, lps);
        }
        if (current != null && t < current.getValidUntil().toEpochMilli()) {
            double halfBand = schedule.settings().deadbandHalfWidthK();
            double cooling = currentSetpointC + halfBand;
            if (!schedule.occupiedMode(moment)) {
                // Night mode: the chillers stay off below the BMS's own set-up, whatever the setpoint.
                cooling = Math.max(cooling, schedule.settings().unoccupiedCoolingC());
            }
            return new ZoneSetpoints(currentSetpointC - halfBand, cooling, currentSetpointC, true, currentAirflowShare);
        }
        if (current != null) {
            expiredSteps++;
        }
        return schedule.at(moment);
    }

    /**
     * The share of its design airflow the unit runs at for {@code lps} (within the profile's
     * limits), in the unit's airflow steps: 1 for none, and at least one step, since a unit that
     * runs moves some air.
     */
    static double airflowShare(BuildingProfile profile, Double lps) {
        return lps == null ? 1
                : Math.max(BuildingThermalModel.airflowStep(lps / profile.getDesignVentilationLps()), 1.0 / BuildingThermalModel.AIRFLOW_STEPS);
    }

    /**
     * A command's airflow clamped to the profile's ventilation limits, L/s; null when the command
     * or the profile does not speak of ventilation (the unit then runs at its design airflow).
     */
    private Double clampedVentilationLps(Double requestedLps) {
        Double design = profile.getDesignVentilationLps();
        Double min = profile.getMinVentilationLps();
        if (requestedLps == null || design == null || min == null || !(design > 0) || !(min >= 0) || min > design) {
            return null;
        }
        return Math.max(min, Math.min(design, requestedLps));
    }

    /** The command in force at the last {@link #setpointsAt} call, or null. */
    public synchronized SetpointCommand current() {
        return current;
    }

    public synchronized long accepted() {
        return accepted;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long stale() {
        return stale;
    }

    public synchronized long invalid() {
        return invalid;
    }

    /** Commands whose setpoint or ventilation lay outside the profile's limits and were clamped. */
    public synchronized long clamped() {
        return clamped;
    }

    /** Steps run on the default schedule because the last command had expired. */
    public synchronized long expiredSteps() {
        return expiredSteps;
    }
}
