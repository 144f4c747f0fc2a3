package io.kelvin.sim;

/**
 * The grey-box parameters of one building's 3R2C thermal network (two capacitances: indoor air
 * with furnishings, and the thermal mass of the structure; three conductances), in kW/K and
 * kWh/K for the whole building.
 *
 * <pre>
 *   outdoor --H_ao(+H_ve when ventilated)-- [air, C_air] --H_am-- [mass, C_mass] --H_mo-- outdoor
 *                                            ^ HVAC, gains         ^ gains
 * </pre>
 *
 * <p>{@code H_ao} joins air and outdoor directly (windows and infiltration), {@code H_ve} is added
 * while the air-handling unit ventilates, in proportion to the share of its design airflow it runs at, {@code H_am} couples air and the structure (internal
 * surfaces in series with the mass, as the 5R1C model of ISO 13790 couples them), {@code H_mo}
 * joins the structure and outdoor (opaque envelope). The ranges these are drawn from, with their
 * sources, are in {@link FleetGenerator}.
 *
 * @param airCapacityKwhPerK            {@code C_air}: indoor air and furnishings
 * @param massCapacityKwhPerK           {@code C_mass}: effective capacity of the structure
 * @param airMassConductanceKwPerK      {@code H_am}
 * @param massOutdoorConductanceKwPerK  {@code H_mo}
 * @param airOutdoorConductanceKwPerK   {@code H_ao}: windows and infiltration
 * @param ventilationConductanceKwPerK  {@code H_ve}: mechanical ventilation at the design airflow, after heat recovery
 */
public record ThermalParameters(double airCapacityKwhPerK, double massCapacityKwhPerK, double airMassConductanceKwPerK,
                                double massOutdoorConductanceKwPerK, double airOutdoorConductanceKwPerK,
                                double ventilationConductanceKwPerK) {

    public ThermalParameters {
        requirePositive("airCapacityKwhPerK", airCapacityKwhPerK);
        requirePositive("massCapacityKwhPerK", massCapacityKwhPerK);
        requirePositive("airMassConductanceKwPerK", airMassConductanceKwPerK);
        requireNonNegative("massOutdoorConductanceKwPerK", massOutdoorConductanceKwPerK);
        requireNonNegative("airOutdoorConductanceKwPerK", airOutdoorConductanceKwPerK);
        requireNonNegative("ventilationConductanceKwPerK", ventilationConductanceKwPerK);
        if (massOutdoorConductanceKwPerK + airOutdoorConductanceKwPerK <= 0) {
            throw new IllegalArgumentException("the building needs a conductance to the outside");
        }
    }

    /**
     * Conductance from air to outdoor with the air-handling unit at {@code airflowShare} of its
     * design airflow (0: off).
     */
    public double airOutdoorConductance(double airflowShare) {
        return airOutdoorConductanceKwPerK + airflowShare * ventilationConductanceKwPerK;
    }

    /**
     * Steady-state heat loss per kelvin of indoor-outdoor difference with the air held fixed: the
     * direct path plus the mass path in series (kW/K).
     */
    public double steadyStateLossKwPerK(double airflowShare) {
        double massPath = massOutdoorConductanceKwPerK == 0 ? 0
                : 1 / (1 / airMassConductanceKwPerK + 1 / massOutdoorConductanceKwPerK);
        return airOutdoorConductance(airflowShare) + massPath;
    }

    private static void requirePositive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite, was " + v);
        }
    }

    private static void requireNonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be non-negative and finite, was " + v);
        }
    }
}
