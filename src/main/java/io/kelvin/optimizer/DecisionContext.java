package io.kelvin.optimizer;

import io.kelvin.schema.BuildingProfile;

/**
 * What one decision is made from: the closed window, the building's profile and schedule, the
 * setpoint the change limit is measured from, and whether the next window is occupied.
 */
public record DecisionContext(WindowSummary window, BuildingProfile profile, OccupancySchedule schedule,
                              double anchorSetpointC, boolean occupiedNext) {

    public double windowHours() {
        return (window.endMs() - window.startMs()) / 3_600_000.0;
    }
}
