package io.kelvin.sim;

import java.time.Duration;

/**
 * One building's 3R2C thermal network ({@link ThermalParameters}) discretised exactly for a fixed
 * step ({@link ZeroOrderHold}): inputs are held constant over a step, the state is exact at the
 * step's end whatever its length.
 *
 * <p>State {@code [T_air, T_mass]} in °C. Inputs per step: outdoor temperature, HVAC heat to the
 * air (kW, negative when cooling), and heat gains split between air (convective) and mass
 * (radiant). One discretisation per ventilation state (the air-handling unit switches a
 * conductance on and off). Immutable and thread-safe; the state array belongs to the caller.
 */
public final class BuildingThermalModel {
    /** Index of the indoor air temperature in the state. */
    public static final int AIR = 0;
    /** Index of the thermal-mass temperature in the state. */
    public static final int MASS = 1;

    // Input columns.
    private static final int OUTDOOR = 0;
    private static final int HVAC = 1;
    private static final int GAINS_AIR = 2;
    private static final int GAINS_MASS = 3;

    private final ThermalParameters parameters;
    private final double stepHours;
    private final ZeroOrderHold.Discretisation closed;
    private final ZeroOrderHold.Discretisation ventilated;

    public BuildingThermalModel(ThermalParameters parameters, Duration step) {
        this.parameters = parameters;
        this.stepHours = step.toNanos() / 3.6e12;
        this.closed = discretise(parameters, false, stepHours);
        this.ventilated = discretise(parameters, true, stepHours);
    }

    private static ZeroOrderHold.Discretisation discretise(ThermalParameters p, boolean ventilated, double stepHours) {
        double hao = p.airOutdoorConductance(ventilated);
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

    /** Indoor air temperature at the end of the step if the HVAC stays off. */
    public double freeAirTemperature(double[] state, boolean ventilated, double outdoorC, double gainsAirKw, double gainsMassKw) {
        ZeroOrderHold.Discretisation d = ventilated ? this.ventilated : closed;
        return d.ad(AIR, AIR) * state[AIR] + d.ad(AIR, MASS) * state[MASS]
                + d.bd(AIR, OUTDOOR) * outdoorC + d.bd(AIR, GAINS_AIR) * gainsAirKw + d.bd(AIR, GAINS_MASS) * gainsMassKw;
    }

    /** How much one kW of HVAC heat held over the step raises the air temperature at its end (K/kW). */
    public double airResponsePerKw(boolean ventilated) {
        return (ventilated ? this.ventilated : closed).bd(AIR, HVAC);
    }

    /** Advances {@code state} by one step. */
    public void advance(double[] state, boolean ventilated, double outdoorC, double hvacKw, double gainsAirKw, double gainsMassKw) {
        ZeroOrderHold.Discretisation d = ventilated ? this.ventilated : closed;
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
    public double heatLossKw(double[] state, boolean ventilated, double outdoorC) {
        return parameters.airOutdoorConductance(ventilated) * (state[AIR] - outdoorC)
                + parameters.massOutdoorConductanceKwPerK() * (state[MASS] - outdoorC);
    }
}
