package io.kelvin.sim;

/**
 * The BMS's zone controller, idealised as in ISO 13790 §C.4 and ISO 52016-1: each step it
 * delivers exactly the heat (or cooling) that brings the air to the edge of the dead band it would
 * otherwise leave, limited by what the plant can give; inside the band the HVAC stays off.
 * Cooling comes from the economiser first (free while the air-handling unit runs and it is cooler
 * outside), then from the chiller when it is not locked out.
 */
public final class ZoneController {

    private ZoneController() {}

    /**
     * What the HVAC does over one step.
     *
     * @param thermalKw    heat delivered to the air (negative: cooling), all sources
     * @param mechanicalKw the part from the heat pump (positive) or the chiller (negative), which costs electricity
     */
    public record Delivery(double thermalKw, double mechanicalKw) {
        static final Delivery OFF = new Delivery(0, 0);
    }

    /**
     * @param freeAirC      air temperature the step would end at with the HVAC off
     * @param responsePerKw how much one kW held over the step raises that temperature (K/kW)
     * @param airC          air temperature now (for the economiser)
     * @param airflowShare  share of its design airflow the air-handling unit runs at (0: off)
     */
    public static Delivery control(double freeAirC, double responsePerKw, ZoneSetpoints setpoints, HvacPlant plant, double airC,
                                   double outdoorC, double airflowShare) {
        if (freeAirC < setpoints.heatingC()) {
            double heat = Math.min(plant.heatingCapacityKw(), (setpoints.heatingC() - freeAirC) / responsePerKw);
            return new Delivery(heat, heat);
        }
        if (freeAirC > setpoints.coolingC()) {
            double needed = (freeAirC - setpoints.coolingC()) / responsePerKw;
            double free = Math.min(needed, plant.economiserKw(airC, outdoorC, airflowShare));
            double chiller = plant.mechanicalCoolingAvailable(outdoorC) ? Math.min(plant.coolingCapacityKw(), needed - free) : 0;
            return new Delivery(-(free + chiller), -chiller);
        }
        return Delivery.OFF;
    }
}
