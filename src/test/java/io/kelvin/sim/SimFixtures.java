package io.kelvin.sim;

import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.OccupancyPeriod;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Hand-made buildings and commands for the simulator's tests. */
final class SimFixtures {
    /** A Monday. */
    static final Instant MONDAY = Instant.parse("2026-11-16T00:00:00Z");

    private SimFixtures() {}

    /** Limits 15–26 °C, comfort 20–24 °C, occupied 21.5 °C, set-back 17 °C, Mon–Fri 08:00–18:00 UTC. */
    static BuildingProfile profile(String id) {
        return BuildingProfile.newBuilder()
                .setBuildingId(id)
                .setName("Test office " + id)
                .setTimeZone("UTC")
                .setFloorAreaM2(1_000)
                .setMinSetpointC(15)
                .setMaxSetpointC(26)
                .setMaxChangePerStepK(0.5)
                .setComfortMinC(20)
                .setComfortMaxC(24)
                .setOccupiedSetpointC(21.5)
                .setUnoccupiedSetpointC(17)
                .setOccupancy(List.of(new OccupancyPeriod(List.of(1, 2, 3, 4, 5), 8 * 60, 18 * 60)))
                .build();
    }

    /** Dead band ±0.5 K, warm-up 60 min, night set-up 28 °C. */
    static BmsSettings bms() {
        return new BmsSettings(0.5, 60, 28);
    }

    static DefaultSchedule schedule(BuildingProfile profile) {
        return new DefaultSchedule(profile, new OccupancyCalendar(profile.getOccupancy(), ZoneOffset.UTC), bms());
    }

    static SetpointCommand command(String buildingId, Instant windowEnd, double setpointC) {
        return SetpointCommand.newBuilder()
                .setDecisionId(buildingId + "@" + windowEnd)
                .setBuildingId(buildingId)
                .setSetpointC(setpointC)
                .setWindowStart(windowEnd.minus(Duration.ofMinutes(10)))
                .setWindowEnd(windowEnd)
                .setValidUntil(windowEnd.plus(Duration.ofMinutes(25)))
                .setSource(SetpointSource.MODEL)
                .setModelVersion("test")
                .build();
    }

    static OccupancyCalendar.LocalMoment utc(Instant at) {
        return new OccupancyCalendar(List.of(), ZoneOffset.UTC).at(at);
    }
}
