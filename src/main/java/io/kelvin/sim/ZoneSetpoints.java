package io.kelvin.sim;

/**
 * What a BMS asks of a zone for one step.
 *
 * @param heatingC     heat when the zone would fall below this
 * @param coolingC     cool when it would rise above this
 * @param reportedC    the setpoint the BMS reports on its {@code SETPOINT_C} point
 * @param commanded    whether a Kelvin command is in force (otherwise the default schedule)
 * @param airflowShare share of its design outdoor airflow the air-handling unit runs at while it
 *                     runs (in occupied periods); 1 unless demand-controlled ventilation was commanded
 */
public record ZoneSetpoints(double heatingC, double coolingC, double reportedC, boolean commanded, double airflowShare) {

    public ZoneSetpoints {
        if (!(heatingC <= coolingC)) {
            throw new IllegalArgumentException("heating setpoint " + heatingC + " above cooling setpoint " + coolingC);
        }
        if (!(airflowShare > 0 && airflowShare <= 1)) {
            throw new IllegalArgumentException("airflow share must be within (0, 1], was " + airflowShare);
        }
    }

    /** Setpoints with the air-handling unit at its design airflow. */
    public ZoneSetpoints(double heatingC, double coolingC, double reportedC, boolean commanded) {
        this(heatingC, coolingC, reportedC, commanded, 1);
    }

    /** A setpoint with a symmetric dead band of {@code halfWidthK} around it, at the design airflow. */
    public static ZoneSetpoints around(double setpointC, double halfWidthK, boolean commanded) {
        return new ZoneSetpoints(setpointC - halfWidthK, setpointC + halfWidthK, setpointC, commanded);
    }

    /** These setpoints with the air-handling unit at {@code share} of its design airflow. */
    public ZoneSetpoints withAirflowShare(double share) {
        return new ZoneSetpoints(heatingC, coolingC, reportedC, commanded, share);
    }
}
