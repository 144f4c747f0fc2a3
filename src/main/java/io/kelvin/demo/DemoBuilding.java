package io.kelvin.demo;

import io.kelvin.optimizer.OccupancySchedule;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Metric;
import io.kelvin.schema.OccupancyPeriod;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One building of the demo's simple generator: a single-zone first-order (1R1C) thermal model
 * with a heat pump that tracks the setpoint in force (Kelvin's command until it expires,
 * otherwise the profile's own schedule). Enough to close the loop for the demo; the full
 * simulator (2R2C, weather fronts, paired baseline) replaces it. Public for the model package's
 * SimulatedFleetData, which generates the bundled model's training data from it.
 */
public final class DemoBuilding {
    private final BuildingProfile profile;
    private final OccupancySchedule schedule;
    private final double conductanceKwPerK;   // UA, envelope and ventilation
    private final double capacityKwhPerK;     // C, air and furniture
    private final double hvacCapacityKw;      // thermal
    private final double cop;
    private final double gainsPerPersonKw = 0.1;
    private final int people;
    private final Random noise;
    private double indoorC;
    private SetpointCommand command;

    public DemoBuilding(String buildingId, Random random) {
        double area = 1_000 + random.nextInt(9) * 500;
        this.profile = BuildingProfile.newBuilder()
                .setBuildingId(buildingId)
                .setName("Demo office " + buildingId)
                .setTimeZone("UTC")
                .setFloorAreaM2(area)
                .setMinSetpointC(16)
                .setMaxSetpointC(26)
                .setMaxChangePerStepK(0.5)
                .setComfortMinC(20)
                .setComfortMaxC(24)
                .setOccupiedSetpointC(21.5)
                .setUnoccupiedSetpointC(18)
                .setOccupancy(List.of(new OccupancyPeriod(List.of(1, 2, 3, 4, 5), 7 * 60 + random.nextInt(4) * 30, 18 * 60)))
                .build();
        this.schedule = new OccupancySchedule(profile);
        this.conductanceKwPerK = area / 1_000 * (0.4 + random.nextDouble() * 0.4);
        this.capacityKwhPerK = area / 1_000 * (8 + random.nextDouble() * 8);
        this.hvacCapacityKw = conductanceKwPerK * 40;
        this.cop = 2.8 + random.nextDouble() * 0.8;
        this.people = (int) (area / 15);
        this.noise = new Random(random.nextLong());
        this.indoorC = 19 + random.nextDouble() * 2;
    }

    public BuildingProfile profile() {
        return profile;
    }

    public String id() {
        return profile.getBuildingId();
    }

    /** The BMS side: keep the newest command; duplicates and older decisions are ignored. */
    public void offer(SetpointCommand c) {
        if (command == null || c.getWindowEnd().isAfter(command.getWindowEnd())) {
            command = c;
        }
    }

    /** Whether a Kelvin command is in force at {@code at}. */
    boolean commanded(Instant at) {
        return command != null && at.isBefore(command.getValidUntil());
    }

    private double setpointAt(Instant at) {
        if (commanded(at)) {
            // The BMS clamps too: the last line of defence on the equipment side.
            return Math.max(profile.getMinSetpointC(), Math.min(profile.getMaxSetpointC(), command.getSetpointC()));
        }
        return schedule.occupiedAt(at.toEpochMilli()) ? profile.getOccupiedSetpointC() : profile.getUnoccupiedSetpointC();
    }

    /** Advances one minute and returns the readings its devices publish for it. */
    public List<SensorReading> step(Instant at, double outdoorC) {
        double setpoint = setpointAt(at);
        boolean occupied = schedule.occupiedAt(at.toEpochMilli());
        int present = occupied ? (int) (people * (0.6 + 0.3 * noise.nextDouble())) : 0;
        // Heating only (a heat pump in winter): proportional control towards the setpoint.
        double heatKw = Math.max(0, Math.min(hvacCapacityKw, 4 * conductanceKwPerK * (setpoint - indoorC) * 3));
        double gainsKw = present * gainsPerPersonKw;
        double dtHours = 1 / 60.0;
        indoorC += dtHours / capacityKwhPerK * (conductanceKwPerK * (outdoorC - indoorC) + heatKw + gainsKw);
        double powerKw = heatKw / cop;

        List<SensorReading> out = new ArrayList<>(5);
        out.add(reading(Metric.ZONE_TEMPERATURE_C, indoorC + noise.nextGaussian() * 0.05, at));
        out.add(reading(Metric.OUTDOOR_TEMPERATURE_C, outdoorC + noise.nextGaussian() * 0.1, at));
        out.add(reading(Metric.HVAC_POWER_KW, powerKw, at));
        out.add(reading(Metric.SETPOINT_C, setpoint, at));
        out.add(reading(Metric.OCCUPANCY_COUNT, present, at));
        return out;
    }

    private SensorReading reading(Metric metric, double value, Instant at) {
        return SensorReading.newBuilder()
                .setBuildingId(profile.getBuildingId())
                .setDeviceId(profile.getBuildingId() + "-gateway")
                .setMetric(metric)
                .setValue(value)
                .setObservedAt(at)
                .build();
    }

    /** Winter weather: a daily cycle around a cold mean. */
    public static double outdoorC(Instant at) {
        double hour = (at.getEpochSecond() % 86_400) / 3_600.0;
        return 2 + 5 * Math.sin(2 * Math.PI * (hour - 9) / 24);
    }
}
