package io.kelvin.sim;

/**
 * One instance of a building under one controller: its thermal state, advanced step by step.
 * A building has two, Kelvin's and the baseline's, that differ only in the setpoints they get.
 * Not thread-safe.
 */
public final class BuildingTwin {
    private final BuildingThermalModel model;
    private final HvacPlant plant;
    private final double[] state;

    /** Starts with air and structure at {@code initialC}. */
    public BuildingTwin(BuildingThermalModel model, HvacPlant plant, double initialC) {
        this.model = model;
        this.plant = plant;
        this.state = new double[] {initialC, initialC};
    }

    /**
     * What one step did.
     *
     * @param airC       air temperature at the step's start (what sensors see now)
     * @param massC      structure temperature at the step's start
     * @param hvacKw     thermal HVAC power held over the step (negative: cooling), economiser included
     * @param electricKw   electric power of heat pump, chiller and fans over the step
     * @param airflowShare share of its design airflow the air-handling unit ran at (0: off)
     */
    public record Step(double airC, double massC, double hvacKw, double electricKw, double airflowShare) {}

    /**
     * Runs one step with the HVAC following {@code setpoints}; the air-handling unit runs only when
     * {@code ventilating}, at the setpoints' airflow share, or at its design airflow while the zone
     * needs cooling and the outdoor air is cooler (economiser).
     */
    public Step step(boolean ventilating, double outdoorC, double gainsAirKw, double gainsMassKw, ZoneSetpoints setpoints) {
        double air = state[BuildingThermalModel.AIR];
        double mass = state[BuildingThermalModel.MASS];
        double airflow = ventilating ? BuildingThermalModel.airflowStep(setpoints.airflowShare()) : 0;
        double free = model.freeAirTemperature(state, airflow, outdoorC, gainsAirKw, gainsMassKw);
        if (airflow > 0 && airflow < 1 && free > setpoints.coolingC() && air > outdoorC) {
            // Economiser mode overrides the demand-controlled airflow (as in ASHRAE Guideline 36): the unit opens to its design
            // airflow to cool with outdoor air rather than start the chiller.
            airflow = 1;
            free = model.freeAirTemperature(state, airflow, outdoorC, gainsAirKw, gainsMassKw);
        }
        ZoneController.Delivery hvac = ZoneController.control(free, model.airResponsePerKw(airflow), setpoints, plant, air, outdoorC,
                airflow);
        model.advance(state, airflow, outdoorC, hvac.thermalKw(), gainsAirKw, gainsMassKw);
        return new Step(air, mass, hvac.thermalKw(), plant.electricKw(hvac.mechanicalKw(), outdoorC, airflow), airflow);
    }

    public double airC() {
        return state[BuildingThermalModel.AIR];
    }

    public double massC() {
        return state[BuildingThermalModel.MASS];
    }
}
