package io.kelvin.sim;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One building's 3R2C thermal network ({@link ThermalParameters}) discretised exactly for a fixed
 * step ({@link ZeroOrderHold}): inputs are held constant over a step, the state is exact at the
 * step's end whatever its length.
 *
 * <p>State {@code [T_air, T_mass]} in °C. Inputs per step: outdoor temperature, HVAC heat to the
 * air (kW, negative when cooling), and heat gains split between air (convective) and mass
 * (radiant). The air-handling unit adds a conductance in proportion to its airflow, which it sets
 * in steps of one percent of the design airflow ({@link #airflowStep}); there is one
 * discretisation per step, made on first use. Thread-safe; the state array belongs to the caller.
 */
public final class BuildingThermalModel {
    /** Index of the indoor air temperature in the state. */
    public static final int AIR = 0;
    /** Index of the thermal-mass temperature in the state. */
    public static final int MASS = 1;

    /** Airflow steps of the air-handling unit: shares 0, 1/100, ..., 1 of the design airflow. */
    public static final int AIRFLOW_STEPS = 100;

    // Input columns.
    private static final int OUTDOOR = 0;
    private static final int HVAC = 1;
    private static final int GAINS_AIR = 2;
    private static final int GAINS_MASS = 3;

    private final ThermalParameters parameters;
    private final double stepHours;
    /** Discretisation per airflow step, made on first use (immutable, so a racing duplicate is harmless). */
    private final AtomicReferenceArray<ZeroOrderHold.Discretisation> byAirflow = new AtomicReferenceArray<>(AIRFLOW_STEPS + 1);

    public BuildingThermalModel(ThermalParameters parameters, Duration step) {
        this.parameters = parameters;
        this.stepHours = step.toNanos() / 3.6e12;
    }

    /**
     * The airflow step nearest {@code airflowShare}, as a share: what the air-handling unit runs at
     * when asked for {@code airflowShare} of its design airflow.
     *
     * @throws IllegalArgumentException when the share is not within [0, 1]
     */
    public static double airflowStep(double airflowShare) {
        return stepIndex(airflowShare) / (double) AIRFLOW_STEPS;
    }

    private static int stepIndex(double airflowShare) {
        if (!(airflowShare >= 0 && airflowShare <= 1)) {
            throw new IllegalArgumentException("airflow share must be within [0, 1], was " + airflowShare);
        }
        return (int) Math.round(airflowShare * AIRFLOW_STEPS);
    }

    private ZeroOrderHold.Discretisation discretisation(double airflowShare) {
        int i = stepIndex(airflowShare);
        ZeroOrderHold.Discretisation d = byAirflow.get(i);
        if (d == null) {
            d = discretise(parameters, i / (double) AIRFLOW_STEPS, stepHours);
            byAirflow.set(i, d);
        }
        return d;
    }

    private static ZeroOrderHold.Discretisation discretise(ThermalParameters p, double airflowShare, double stepHours) {
        double hao = p.airOutdoorConductance(airflowShare);
        double ham = p.airMassConductanceKwPerK();
        double hmo = p.massOutdoorConductanceKwPerK();
        double[] c = {p.airCapacityKwhPerK(), p.massCapacityKwhPerK()};
        double[][] k = {
            {hao + ham, -ham},
            {-ham, ham + hmo},
        };
        double[][] g = {
            {hao, 1, 1, 0},
            {hmo, 0, 0, 1},
        };
        return ZeroOrderHold.discretise(c, k, g, stepHours);
    }

    public ThermalParameters parameters() {
        return parameters;
    }

    public double stepHours() {
        return stepHours;
    }

    /**
     * Indoor air temperature at the end of the step if the HVAC stays off, with the air-handling
     * unit at {@code airflowShare} of its design airflow (rounded to its step, as everywhere here).
     */
    public double freeAirTemperature(double[] state, double airflowShare, double outdoorC, double gainsAirKw, double gainsMassKw) {
        ZeroOrderHold.Discretisation d = discretisation(airflowShare);
        return d.ad(AIR, AIR) * state[AIR] + d.ad(AIR, MASS) * state[MASS]
                + d.bd(AIR, OUTDOOR) * outdoorC + d.bd(AIR, GAINS_AIR) * gainsAirKw + d.bd(AIR, GAINS_MASS) * gainsMassKw;
    }

    /** How much one kW of HVAC heat held over the step raises the air temperature at its end (K/kW). */
    public double airResponsePerKw(double airflowShare) {
        return discretisation(airflowShare).bd(AIR, HVAC);
    }

    /** Advances {@code state} by one step. */
    public void advance(double[] state, double airflowShare, double outdoorC, double hvacKw, double gainsAirKw, double gainsMassKw) {
        ZeroOrderHold.Discretisation d = discretisation(airflowShare);
        double air = state[AIR];
        double mass = state[MASS];
        state[AIR] = d.ad(AIR, AIR) * air + d.ad(AIR, MASS) * mass + d.bd(AIR, OUTDOOR) * outdoorC
                + d.bd(AIR, HVAC) * hvacKw + d.bd(AIR, GAINS_AIR) * gainsAirKw + d.bd(AIR, GAINS_MASS) * gainsMassKw;
        state[MASS] = d.ad(MASS, AIR) * air + d.ad(MASS, MASS) * mass + d.bd(MASS, OUTDOOR) * outdoorC
                + d.bd(MASS, HVAC) * hvacKw + d.bd(MASS, GAINS_AIR) * gainsAirKw + d.bd(MASS, GAINS_MASS) * gainsMassKw;
    }

    /** Heat stored relative to 0 °C in both capacitances (kWh); for energy-balance checks. */
    public double storedHeatKwh(double[] state) {
        return parameters.airCapacityKwhPerK() * state[AIR] + parameters.massCapacityKwhPerK() * state[MASS];
    }

    /** Instantaneous heat flow from the building to the outside (kW). */
    public double heatLossKw(double[] state, double airflowShare, double outdoorC) {
        return parameters.airOutdoorConductance(airflowStep(airflowShare)) * (state[AIR] - outdoorC)
                + parameters.massOutdoorConductanceKwPerK() * (state[MASS] - outdoorC);
    }
}
