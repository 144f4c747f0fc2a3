package io.kelvin.sim;

/**
 * What a BMS asks of a zone for one step.
 *
 * @param heatingC   heat when the zone would fall below this
 * @param coolingC   cool when it would rise above this
 * @param reportedC  the setpoint the BMS reports on its {@code SETPOINT_C} point
 * @param commanded  whether a Kelvin command is in force (otherwise the default schedule)
 */
public record ZoneSetpoints(double heatingC, double coolingC, double reportedC, boolean commanded) {

    public ZoneSetpoints {
        if (!(heatingC <= coolingC)) {
            throw new IllegalArgumentException("heating setpoint " + heatingC + " above cooling setpoint " + coolingC);
        }
    }

    /** A setpoint with a symmetric dead band of {@code halfWidthK} around it. */
    public static ZoneSetpoints around(double setpointC, double halfWidthK, boolean commanded) {
        return new ZoneSetpoints(setpointC - halfWidthK, setpointC + halfWidthK, setpointC, commanded);
    }
}
