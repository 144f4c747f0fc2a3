package io.kelvin.sim;

import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The field devices of one building (Kelvin's twin only; the baseline twin is a counterfactual and
 * publishes nothing): per reading interval, one {@code ZONE_TEMPERATURE_C} per zone sensor
 * ({@code zoneId} zone-1, zone-2, ...), {@code OUTDOOR_TEMPERATURE_C}, {@code HVAC_POWER_KW},
 * {@code SETPOINT_C} (what the BMS runs), {@code OCCUPANCY_COUNT} and {@code CO2_PPM}, with the
 * errors of {@link SensorSettings}. The noise has its own random stream, so it never changes
 * what the building does. Not thread-safe.
 */
public final class BuildingDevices {
    private final String buildingId;
    private final SensorSettings sensors;
    private final SplittableRandom noise;
    private final String[] zoneIds;
    private final String[] zoneDevices;

    public BuildingDevices(BuildingSpec spec) {
        this.buildingId = spec.id();
        this.sensors = spec.sensors();
        this.noise = new SplittableRandom(spec.seed() ^ 0x6A09E667F3BCC909L);
        int zones = sensors.zoneBiasK().size();
        this.zoneIds = new String[zones];
        this.zoneDevices = new String[zones];
        for (int z = 0; z < zones; z++) {
            zoneIds[z] = "zone-" + (z + 1);
            zoneDevices[z] = buildingId + "-" + zoneIds[z] + "-sensor";
        }
    }

    /** Points published per interval. */
    public int pointsPerInterval() {
        return zoneIds.length + 5;
    }

    /** The readings observed at {@code at}. */
    public List<SensorReading> readings(Instant at, double airC, double outdoorC, double electricKw, double setpointC,
                                        int people, double co2Ppm) {
        List<SensorReading> out = new ArrayList<>(pointsPerInterval());
        for (int z = 0; z < zoneIds.length; z++) {
            double v = airC + sensors.zoneBiasK().get(z) + sensors.zoneNoiseK() * noise.nextGaussian();
            out.add(reading(zoneDevices[z], zoneIds[z], Metric.ZONE_TEMPERATURE_C, round(v, 100), at));
        }
        out.add(reading(buildingId + "-weather", null, Metric.OUTDOOR_TEMPERATURE_C,
                round(outdoorC + sensors.outdoorBiasK() + sensors.outdoorNoiseK() * noise.nextGaussian(), 100), at));
        out.add(reading(buildingId + "-meter", null, Metric.HVAC_POWER_KW,
                round(Math.max(0, electricKw * (1 + sensors.powerNoiseShare() * noise.nextGaussian())), 1000), at));
        out.add(reading(buildingId + "-bms", null, Metric.SETPOINT_C, setpointC, at));
        out.add(reading(buildingId + "-people-counter", null, Metric.OCCUPANCY_COUNT,
                Math.max(0, Math.round(people * (1 + sensors.occupancyNoiseShare() * noise.nextGaussian()))), at));
        out.add(reading(buildingId + "-co2", null, Metric.CO2_PPM,
                Math.round(Math.max(0, co2Ppm + sensors.co2NoisePpm() * noise.nextGaussian())), at));
        return out;
    }

    private SensorReading reading(String device, String zoneId, Metric metric, double value, Instant at) {
        return SensorReading.newBuilder()
                .setBuildingId(buildingId)
                .setDeviceId(device)
                .setMetric(metric)
                .setValue(value)
                .setObservedAt(at)
                .setZoneId(zoneId)
                .build();
    }

    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }
}
