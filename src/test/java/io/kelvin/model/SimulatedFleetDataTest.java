package io.kelvin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.optimizer.FeatureBuilder;
import io.kelvin.schema.BuildingProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatedFleetDataTest {
    private static final int BUILDINGS = 3;
    private static final int DAYS = 3;
    private static SimulatedFleetData.Fleet fleet;

    @BeforeAll
    static void simulate() {
        fleet = SimulatedFleetData.simulate(7, BUILDINGS, DAYS);
    }

    private static Map<String, List<TrainingRow>> byBuilding() {
        return fleet.rows().stream().collect(Collectors.groupingBy(TrainingRow::buildingId));
    }

    @Test
    void shouldDecideEveryTenMinutesAfterTheWarmUpUntilTheLastOutcome() {
        long start = SimulatedFleetData.START.toEpochMilli();
        long windowsPerDay = 144;
        long warmUpWindows = SimulatedFleetData.WARM_UP.toMinutes() / 10;
        assertThat(byBuilding()).hasSize(BUILDINGS).allSatisfy((id, rows) -> {
            // decisions at the end of windows warmUp .. last-but-one: the last decision has no outcome yet
            assertThat(rows).hasSize((int) (DAYS * windowsPerDay - warmUpWindows));
            assertThat(rows.get(0).decidedAtMs()).isEqualTo(start + SimulatedFleetData.WARM_UP.toMillis());
            for (int i = 1; i < rows.size(); i++) {
                assertThat(rows.get(i).decidedAtMs() - rows.get(i - 1).decidedAtMs()).isEqualTo(600_000L);
            }
            assertThat(rows.get(rows.size() - 1).decidedAtMs()).isEqualTo(fleet.end().toEpochMilli() - 600_000L);
        });
        assertThat(fleet.end()).isEqualTo(SimulatedFleetData.START.plus(Duration.ofDays(DAYS)));
    }

    @Test
    void shouldTakeTargetsFromTheWindowTheDecisionAppliedTo() {
        // The outcome of decision k is the window decision k+1 is made from: its energy and mean indoor temperature.
        byBuilding().forEach((id, rows) -> {
            for (int i = 0; i + 1 < rows.size(); i++) {
                TrainingRow decision = rows.get(i);
                TrainingRow next = rows.get(i + 1);
                assertThat(decision.energyKwh()).as("%s row %d", id, i).isEqualTo(next.feature("hvac_energy_kwh"));
                assertThat(decision.indoorC()).as("%s row %d", id, i).isEqualTo(next.feature("indoor_mean_c"));
            }
        });
    }

    @Test
    void shouldBuildEveryFeatureAsTheOptimizerDoes() {
        TrainingRow row = fleet.rows().get(0);
        assertThat(row.features().keySet()).containsExactlyInAnyOrderElementsOf(FeatureBuilder.KNOWN_FEATURES);
        for (TrainingRow r : fleet.rows()) {
            assertThat(r.feature("setpoint_delta_k")).isCloseTo(r.feature("candidate_setpoint_c") - r.feature("previous_setpoint_c"), within(1e-12));
            assertThat(r.feature("window_hours")).isEqualTo(1.0 / 6);
            // the simulated devices publish CO2 but no humidity: NaN, as the optimizer would see it
            assertThat(r.feature("co2_mean_ppm")).isBetween(300.0, 5_000.0);
            assertThat(r.feature("humidity_mean_pct")).isNaN();
        }
        BuildingProfile first = fleet.profiles().get(0);
        assertThat(byBuilding().get(first.getBuildingId())).allSatisfy(r -> assertThat(r.feature("floor_area_m2")).isEqualTo(first.getFloorAreaM2()));
    }

    @Test
    void shouldExploreSetpointsWithinTheLimitsAndTheRateLimit() {
        byBuilding().forEach((id, rows) -> {
            BuildingProfile profile = fleet.profiles().stream().filter(p -> p.getBuildingId().equals(id)).findFirst().orElseThrow();
            int moved = 0;
            for (int i = 0; i < rows.size(); i++) {
                double candidate = rows.get(i).feature("candidate_setpoint_c");
                double previous = rows.get(i).feature("previous_setpoint_c");
                assertThat(candidate).isBetween(profile.getMinSetpointC(), profile.getMaxSetpointC());
                assertThat(Math.abs(candidate - previous)).isLessThanOrEqualTo(SimulatedFleetData.MAX_CHANGE_K + 1e-9);
                if (i > 0) {
                    // the command in force is the one decided a window earlier
                    assertThat(previous).isEqualTo(rows.get(i - 1).feature("candidate_setpoint_c"));
                }
                moved += Math.abs(candidate - previous) > 0.05 ? 1 : 0;
            }
            assertThat(moved).as("windows with a setpoint move, %s", id).isGreaterThan(rows.size() / 2);
            double low = rows.stream().mapToDouble(r -> r.feature("candidate_setpoint_c")).min().orElseThrow();
            double high = rows.stream().mapToDouble(r -> r.feature("candidate_setpoint_c")).max().orElseThrow();
            assertThat(high - low).as("setpoint range explored, %s", id).isGreaterThan(4);
        });
    }

    @Test
    void shouldBeReproducibleFromTheSeed() {
        assertThat(SimulatedFleetData.simulate(7, BUILDINGS, DAYS).rows()).isEqualTo(fleet.rows());
        assertThat(SimulatedFleetData.simulate(8, BUILDINGS, DAYS).rows()).isNotEqualTo(fleet.rows());
    }
}
