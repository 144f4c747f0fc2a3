package io.kelvin.sim;

/**
 * A building's HVAC plant: an air-source heat pump for heating, an air-cooled chiller for
 * cooling, and the ventilation fans, with efficiencies that depend on the outdoor temperature.
 *
 * <ul>
 *   <li>Heat pump COP from the fit of Staffell et al. (2012), "A review of domestic heat pumps",
 *       Energy &amp; Environmental Science 5, 9291–9306, for air-source units:
 *       {@code COP = 6.81 - 0.121 dT + 0.000630 dT^2}, {@code dT = sink - outdoor}, valid for
 *       {@code dT} in [15, 60] K (clamped to it), scaled by a per-unit quality factor. With a 35 °C
 *       sink this gives 3.9 at 7 °C outdoor and 2.8 at -7 °C, the range of EN 14511 ratings.</li>
 *   <li>Chiller EER as a fraction of the Carnot EER between a 5 °C evaporator and a condenser
 *       10 K above the outdoor air; a fraction of 0.35–0.50 gives 2.4–3.5 at 35 °C outdoor
 *       (Eurovent-rated air-cooled chillers). Capped at {@value #MAX_EER}: below that the work
 *       is done by the economiser and pumps, not the compressor.</li>
 *   <li>Mechanical cooling is locked out below {@code coolingLockoutC} outdoors (chiller plant
 *       lockout, ASHRAE Guideline 36-2021 §5.20; 12–16 °C here): below it the air-handling unit's
 *       economiser (heat-recovery bypass) is the only cooling, and only while it runs.</li>
 *   <li>Fans: specific fan power times the design ventilation air flow at full flow (EN 16798-3 SFP
 *       categories 3–4: 0.75–2.0 kW per m³/s), while the air-handling unit runs. At part flow
 *       (demand-controlled ventilation) the variable-speed fans follow the part-load curve of
 *       ASHRAE 90.1-2019 Appendix G (table G3.1.3.15, VSD fans):
 *       {@code P/P_design = 0.0013 + 0.1470 x + 0.9506 x^2 - 0.0998 x^3}, {@code x} the airflow share
 *       (divided by its value at 1, 0.9991, so that the design airflow draws the design power);
 *       not the ideal cube law, because the duct static pressure is held.</li>
 *   <li>The economiser's free cooling is in proportion to the airflow too.</li>
 * </ul>
 *
 * @param heatingCapacityKw     largest thermal heating power
 * @param coolingCapacityKw     largest thermal cooling power (positive)
 * @param heatPumpSinkC         supply (sink) temperature of the heat pump
 * @param heatPumpQuality       multiplier on the Staffell fit (product quality, defrost, part load)
 * @param chillerCarnotFraction fraction of the Carnot EER the chiller reaches
 * @param fanPowerKw            fan electric power while ventilating at the design airflow
 * @param coolingLockoutC       no mechanical cooling at outdoor temperatures below this
 * @param economiserKwPerK      extra air-to-outdoor conductance when the heat recovery is bypassed
 *                              for free cooling (design ventilation air flow × its heat-recovery share)
 */
public record HvacPlant(double heatingCapacityKw, double coolingCapacityKw, double heatPumpSinkC, double heatPumpQuality,
                        double chillerCarnotFraction, double fanPowerKw, double coolingLockoutC, double economiserKwPerK) {

    static final double MIN_COP = 1.5;
    static final double MAX_EER = 8.0;
    static final double MIN_EER = 1.5;
    private static final double EVAPORATOR_C = 5.0;
    private static final double CONDENSER_APPROACH_K = 10.0;
    /** The fan curve's value at full flow, 0.9991, that normalises it to the design power. */
    private static final double FAN_PART_LOAD_AT_DESIGN = fanPartLoad(1);

    public HvacPlant {
        if (!(heatingCapacityKw >= 0) || !(coolingCapacityKw >= 0) || !(fanPowerKw >= 0) || !(economiserKwPerK >= 0)) {
            throw new IllegalArgumentException("capacities, fan power and economiser conductance must be non-negative");
        }
        if (!(heatPumpQuality > 0) || !(chillerCarnotFraction > 0) || chillerCarnotFraction > 1) {
            throw new IllegalArgumentException("heat pump quality must be positive and the chiller's Carnot fraction within (0, 1]");
        }
    }

    /** Heat pump coefficient of performance at {@code outdoorC}. */
    public double heatingCop(double outdoorC) {
        double dt = Math.max(15, Math.min(60, heatPumpSinkC - outdoorC));
        return Math.max(MIN_COP, heatPumpQuality * (6.81 - 0.121 * dt + 0.000630 * dt * dt));
    }

    /** Chiller energy efficiency ratio at {@code outdoorC}. */
    public double coolingEer(double outdoorC) {
        double evaporatorK = EVAPORATOR_C + 273.15;
        double lift = outdoorC + CONDENSER_APPROACH_K - EVAPORATOR_C;
        if (lift <= 0) {
            return MAX_EER;
        }
        return Math.max(MIN_EER, Math.min(MAX_EER, chillerCarnotFraction * evaporatorK / lift));
    }

    /** Whether the chiller may run at {@code outdoorC}. */
    public boolean mechanicalCoolingAvailable(double outdoorC) {
        return outdoorC >= coolingLockoutC;
    }

    /**
     * Free cooling the economiser can give (kW, positive) with the air at {@code airC}, the
     * air-handling unit at {@code airflowShare} of its design airflow (0: off).
     */
    public double economiserKw(double airC, double outdoorC, double airflowShare) {
        return airC > outdoorC ? airflowShare * economiserKwPerK * (airC - outdoorC) : 0;
    }

    /** Fan electric power (kW) at {@code airflowShare} of the design airflow (0: the air-handling unit is off). */
    public double fanKw(double airflowShare) {
        if (!(airflowShare >= 0 && airflowShare <= 1)) {
            throw new IllegalArgumentException("airflow share must be within [0, 1], was " + airflowShare);
        }
        if (airflowShare == 0) {
            return 0;
        }
        return fanPowerKw * fanPartLoad(airflowShare) / FAN_PART_LOAD_AT_DESIGN;
    }

    private static double fanPartLoad(double x) {
        return 0.0013 + x * (0.1470 + x * (0.9506 - 0.0998 * x));
    }

    /**
     * Electric power (kW) for {@code thermalKw} of heat pump heat or chiller cooling (negative),
     * fans at {@code airflowShare} of the design airflow included; economiser cooling costs
     * nothing beyond the fans.
     */
    public double electricKw(double thermalKw, double outdoorC, double airflowShare) {
        double compressor = thermalKw > 0 ? thermalKw / heatingCop(outdoorC)
                : thermalKw < 0 ? -thermalKw / coolingEer(outdoorC) : 0;
        return compressor + fanKw(airflowShare);
    }
}
