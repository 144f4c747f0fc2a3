package io.kelvin.sim;

/**
 * Control-quality KPIs of one building (or the fleet) under one controller over the evaluated
 * period, in the style of BOPTEST (Blum et al. 2021, "Building optimization testing framework
 * (BOPTEST) for simulation-based benchmarking of control strategies in buildings", Journal of
 * Building Performance Simulation 14(5), 586–610): HVAC electricity, thermal discomfort, indoor
 * air quality discomfort (ppm·h of CO₂ above a limit), and peak electric demand as the largest
 * 15-minute mean.
 *
 * @param energyKwh      HVAC electricity (heat pump, chiller, fans)
 * @param floorAreaM2    conditioned floor area the energy is normalised by
 * @param discomfortKh   kelvin-hours the air temperature lay outside the comfort band while the
 *                       building was scheduled occupied
 * @param co2ExcessPpmH  ppm-hours the indoor CO₂ lay above the building's limit while it was
 *                       scheduled occupied
 * @param peakKw         largest mean electric power over a 15-minute interval
 * @param hours          length of the evaluated period
 */
public record ControlKpis(double energyKwh, double floorAreaM2, double discomfortKh, double co2ExcessPpmH, double peakKw, double hours) {

    /** Energy per square metre of floor, kWh/m². */
    public double energyKwhPerM2() {
        return floorAreaM2 == 0 ? 0 : energyKwh / floorAreaM2;
    }

    /** Relative energy saving of {@code this} against {@code baseline}, percent (positive: less energy). */
    public double energySavingPercent(ControlKpis baseline) {
        return baseline.energyKwh == 0 ? 0 : 100 * (baseline.energyKwh - energyKwh) / baseline.energyKwh;
    }
}
