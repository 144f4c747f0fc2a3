package io.kelvin.sim;

import java.util.List;

/**
 * The errors of a building's field devices: a fixed calibration bias per zone sensor and white
 * noise per reading. Typical accuracies of the device classes: room temperature sensors ±0.3–0.5 K,
 * outdoor sensors ±0.5 K, class 1 electricity meters ±1 % (IEC 62053-21), NDIR CO₂ sensors
 * ±(30 ppm + 3 %), people counters ±10 %.
 *
 * @param zoneBiasK          one bias per zone sensor; their number is the number of zone sensors
 * @param zoneNoiseK         standard deviation of a zone reading around truth + bias
 * @param outdoorBiasK       bias of the outdoor sensor
 * @param outdoorNoiseK      its noise
 * @param powerNoiseShare    relative standard deviation of the power meter
 * @param occupancyNoiseShare relative standard deviation of the people counter
 * @param co2NoisePpm        standard deviation of the CO₂ sensor
 */
public record SensorSettings(List<Double> zoneBiasK, double zoneNoiseK, double outdoorBiasK, double outdoorNoiseK,
                             double powerNoiseShare, double occupancyNoiseShare, double co2NoisePpm) {

    public SensorSettings {
        zoneBiasK = List.copyOf(zoneBiasK);
        if (zoneBiasK.isEmpty()) {
            throw new IllegalArgumentException("a building needs at least one zone sensor");
        }
    }

    /** Perfect sensors (no bias, no noise), for tests. */
    public static SensorSettings perfect(int zoneSensors) {
        return new SensorSettings(java.util.Collections.nCopies(zoneSensors, 0.0), 0, 0, 0, 0, 0, 0);
    }
}
