package io.kelvin.optimizer;

import io.kelvin.schema.BuildingProfile;
import java.time.Instant;
import java.time.ZonedDateTime;

/**
 * What one decision is made from: the closed window, the building's profile and schedule, the
 * setpoint the change limit is measured from, and whether the next window is occupied; plus the
 * local time of the window's end, worked out once because every candidate row needs it.
 */
public record DecisionContext(WindowSummary window, BuildingProfile profile, OccupancySchedule schedule,
                              double anchorSetpointC, boolean occupiedNext, double localHourOfDay, int localDayOfWeek) {

    public DecisionContext(WindowSummary window, BuildingProfile profile, OccupancySchedule schedule, double anchorSetpointC,
                           boolean occupiedNext) {
        this(window, profile, schedule, anchorSetpointC, occupiedNext, localTime(window, schedule));
    }

    private DecisionContext(WindowSummary window, BuildingProfile profile, OccupancySchedule schedule, double anchorSetpointC,
                            boolean occupiedNext, ZonedDateTime end) {
        this(window, profile, schedule, anchorSetpointC, occupiedNext, end.getHour() + end.getMinute() / 60.0,
                end.getDayOfWeek().getValue());
    }

    private static ZonedDateTime localTime(WindowSummary window, OccupancySchedule schedule) {
        return Instant.ofEpochMilli(window.endMs()).atZone(schedule.zone());
    }

    public double windowHours() {
        return (window.endMs() - window.startMs()) / 3_600_000.0;
    }
}
