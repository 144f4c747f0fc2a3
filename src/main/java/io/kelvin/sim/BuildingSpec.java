package io.kelvin.sim;

import io.kelvin.schema.BuildingProfile;
import java.time.ZoneId;

/**
 * Everything that makes one simulated building what it is; both twins of the building share it.
 * Drawn by {@link FleetGenerator}, or built by hand in tests.
 *
 * @param profile                 what Kelvin is told (limits, comfort band, schedule, time zone, area)
 * @param climate                 the weather it sees
 * @param storeyHeightM           for the air volume (CO₂)
 * @param thermal                 its 3R2C network
 * @param plant                   heat pump, chiller, fans
 * @param solarApertureM2         effective area that turns global horizontal irradiance into heat
 *                                (windows × g-value × frame × shading × orientation)
 * @param occupants               people and internal gains
 * @param ventilationAirflowM3s   outdoor air of the air-handling unit while it runs
 * @param infiltrationAirflowM3s  outdoor air leaking in at all times
 * @param bms                     the BMS's own settings
 * @param sensors                 the devices' errors
 * @param seed                    seed of the building's own random streams (people, sensor noise)
 */
public record BuildingSpec(BuildingProfile profile, Climate climate, double storeyHeightM, ThermalParameters thermal,
                           HvacPlant plant, double solarApertureM2, Occupants occupants, double ventilationAirflowM3s,
                           double infiltrationAirflowM3s, BmsSettings bms, SensorSettings sensors, long seed) {

    /** Share of internal gains that heats the air directly (ISO 13790 §C.2: 0.5); the rest, and all solar gains, the structure. */
    public static final double INTERNAL_GAINS_TO_AIR = 0.5;

    public String id() {
        return profile.getBuildingId();
    }

    public double floorAreaM2() {
        return profile.getFloorAreaM2();
    }

    public ZoneId zone() {
        return ZoneId.of(profile.getTimeZone());
    }

    public double airVolumeM3() {
        return floorAreaM2() * storeyHeightM;
    }

    /** Heat gains into the air and into the structure, kW. */
    public record Gains(double airKw, double massKw) {}

    /** The gains of {@code people} present (lighting and equipment follow the schedule) under this irradiance. */
    public Gains gains(int people, boolean scheduledOccupied, double globalHorizontalWm2) {
        double internal = occupants.gainsKw(people, scheduledOccupied, floorAreaM2());
        double solar = solarApertureM2 * globalHorizontalWm2 / 1000;
        return new Gains(INTERNAL_GAINS_TO_AIR * internal, (1 - INTERNAL_GAINS_TO_AIR) * internal + solar);
    }
}
