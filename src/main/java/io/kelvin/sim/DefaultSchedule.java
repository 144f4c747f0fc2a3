package io.kelvin.sim;

import io.kelvin.schema.BuildingProfile;

/**
 * What a building's BMS does on its own, and what the baseline twin does all the time: the
 * profile's occupied setpoint from {@link BmsSettings#warmUpMinutes()} before each occupied period
 * until it ends, otherwise a heating set-back to the profile's unoccupied setpoint and a cooling
 * set-up to {@link BmsSettings#unoccupiedCoolingC()}. The air-handling unit ventilates during
 * the scheduled periods only.
 */
public final class DefaultSchedule {
    private final BuildingProfile profile;
    private final OccupancyCalendar calendar;
    private final BmsSettings settings;
    private final ZoneSetpoints occupied;
    private final ZoneSetpoints setback;

    public DefaultSchedule(BuildingProfile profile, OccupancyCalendar calendar, BmsSettings settings) {
        this.profile = profile;
        this.calendar = calendar;
        this.settings = settings;
        this.occupied = ZoneSetpoints.around(profile.getOccupiedSetpointC(), settings.deadbandHalfWidthK(), false);
        this.setback = new ZoneSetpoints(profile.getUnoccupiedSetpointC(),
                Math.max(profile.getUnoccupiedSetpointC(), settings.unoccupiedCoolingC()), profile.getUnoccupiedSetpointC(), false);
    }

    public BuildingProfile profile() {
        return profile;
    }

    public BmsSettings settings() {
        return settings;
    }

    public OccupancyCalendar calendar() {
        return calendar;
    }

    /** The schedule's setpoints at {@code moment}. */
    public ZoneSetpoints at(OccupancyCalendar.LocalMoment moment) {
        return occupiedMode(moment) ? occupied : setback;
    }

    /** Whether the BMS is in occupied mode at {@code moment}: in an occupied period or its warm-up. */
    public boolean occupiedMode(OccupancyCalendar.LocalMoment moment) {
        return calendar.minutesUntilOccupied(moment, settings.warmUpMinutes()) <= settings.warmUpMinutes();
    }
}
