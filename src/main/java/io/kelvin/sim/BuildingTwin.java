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
     * @param electricKw electric power of heat pump, chiller and fans over the step
     */
    public record Step(double airC, double massC, double hvacKw, double electricKw) {}

    /** Runs one step with the HVAC following {@code setpoints}. */
    public Step step(boolean ventilating, double outdoorC, double gainsAirKw, double gainsMassKw, ZoneSetpoints setpoints) {
        double air = state[BuildingThermalModel.AIR];
        double mass = state[BuildingThermalModel.MASS];
        double free = model.freeAirTemperature(state, ventilating, outdoorC, gainsAirKw, gainsMassKw);
        ZoneController.Delivery hvac = ZoneController.control(free, model.airResponsePerKw(ventilating), setpoints, plant, air, outdoorC,
                ventilating);
        model.advance(state, ventilating, outdoorC, hvac.thermalKw(), gainsAirKw, gainsMassKw);
        return new Step(air, mass, hvac.thermalKw(), plant.electricKw(hvac.mechanicalKw(), outdoorC, ventilating));
    }

    public double airC() {
        return state[BuildingThermalModel.AIR];
    }

    public double massC() {
        return state[BuildingThermalModel.MASS];
    }
}
