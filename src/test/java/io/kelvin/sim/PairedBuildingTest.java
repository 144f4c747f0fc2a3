package io.kelvin.sim;

import static io.kelvin.sim.SimFixtures.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Indoor CO₂ per twin, and what a commanded airflow does to a building against its baseline twin. */
class PairedBuildingTest {
    private static final Duration STEP = Duration.ofMinutes(1);

    @Test
    void shouldSettleTheCo2WhereBreathingAndOutdoorAirBalance() {
        BuildingSpec spec = new FleetGenerator(3).building(1);
        int people = 80;
        double airflow = spec.infiltrationAirflowM3s() + 0.5 * spec.ventilationAirflowM3s();
        double steady = PairedBuilding.OUTDOOR_CO2_PPM + people * PairedBuilding.CO2_PER_PERSON_M3S / airflow * 1e6;

        double co2 = PairedBuilding.OUTDOOR_CO2_PPM;
        for (int minute = 0; minute < 60; minute++) {
            co2 = PairedBuilding.co2After(spec, co2, people, 0.5, 60);
        }
        // One hour in one step is the same as sixty one-minute steps: the balance is solved exactly.
        assertThat(PairedBuilding.co2After(spec, PairedBuilding.OUTDOOR_CO2_PPM, people, 0.5, 3600)).isCloseTo(co2, within(1e-9));
        double tau = spec.airVolumeM3() / airflow;
        assertThat(co2).isCloseTo(steady + (PairedBuilding.OUTDOOR_CO2_PPM - steady) * Math.exp(-3600 / tau), within(1e-9));
        assertThat(PairedBuilding.co2After(spec, co2, people, 0.5, 1e7)).isCloseTo(steady, within(1e-6));
        assertThat(PairedBuilding.co2After(spec, 900, 0, 1, 1e7)).isCloseTo(PairedBuilding.OUTDOOR_CO2_PPM, within(1e-6));
    }

    @Test
    void shouldVentilateKelvinsTwinAtTheCommandedAirflowAndTheBaselineAtDesign() {
        BuildingSpec spec = new FleetGenerator(3).building(1);
        double least = spec.profile().getMinVentilationLps();
        PairedBuilding building = new PairedBuilding(spec, STEP, Duration.ZERO);
        Instant start = MONDAY.plus(Duration.ofDays(1)); // a Tuesday: occupied in every building's schedule
        double kelvinKwh = 0;
        double baselineKwh = 0;
        double kelvinCo2Max = 0;
        double baselineCo2Max = 0;
        int occupiedSteps = 0;
        for (int minute = 0; minute < 1440; minute++) {
            Instant at = start.plus(STEP.multipliedBy(minute));
            if (minute % 10 == 0) {
                building.bms().offer(command(spec, at, least));
            }
            PairedBuilding.Step step = building.step(at, 5, 0);
            kelvinKwh += step.kelvin().electricKw() / 60;
            baselineKwh += step.baseline().electricKw() / 60;
            if (step.occupied()) {
                occupiedSteps++;
                assertThat(step.kelvin().airflowShare()).isEqualTo(BuildingThermalModel.airflowStep(least / spec.profile().getDesignVentilationLps()));
                assertThat(step.baseline().airflowShare()).isEqualTo(1.0);
                kelvinCo2Max = Math.max(kelvinCo2Max, step.kelvinCo2Ppm());
                baselineCo2Max = Math.max(baselineCo2Max, step.baselineCo2Ppm());
            } else {
                assertThat(step.kelvin().airflowShare()).isZero();
                assertThat(step.baseline().airflowShare()).isZero();
            }
        }
        assertThat(occupiedSteps).isPositive();
        assertThat(kelvinCo2Max).as("less outdoor air: more CO₂").isGreaterThan(baselineCo2Max + 50);
        assertThat(kelvinKwh).as("less outdoor air: less fan power and less air to heat").isLessThan(0.9 * baselineKwh);
    }

    @Test
    void shouldOpenToTheDesignAirflowToCoolWithOutdoorAir() {
        BuildingSpec spec = new FleetGenerator(3).building(1);
        BuildingThermalModel model = new BuildingThermalModel(spec.thermal(), STEP);
        BuildingTwin hot = new BuildingTwin(model, spec.plant(), 26);
        ZoneSetpoints band = ZoneSetpoints.around(22, 0.5, true).withAirflowShare(0.3);
        BuildingTwin.Step cooling = hot.step(true, 10, 0, 0, band);
        assertThat(cooling.airflowShare()).isEqualTo(1.0);
        assertThat(cooling.hvacKw()).isNegative();

        BuildingTwin cold = new BuildingTwin(model, spec.plant(), 18);
        BuildingTwin.Step heating = cold.step(true, 10, 0, 0, band);
        assertThat(heating.airflowShare()).isEqualTo(0.3);
        assertThat(heating.electricKw()).isCloseTo(heating.hvacKw() / spec.plant().heatingCop(10) + spec.plant().fanKw(0.3), within(1e-9));
    }

    private static SetpointCommand command(BuildingSpec spec, Instant windowEnd, double ventilationLps) {
        return SetpointCommand.newBuilder()
                .setDecisionId(spec.id() + "@" + windowEnd)
                .setBuildingId(spec.id())
                .setSetpointC(spec.profile().getOccupiedSetpointC())
                .setWindowStart(windowEnd.minus(Duration.ofMinutes(10)))
                .setWindowEnd(windowEnd)
                .setValidUntil(windowEnd.plus(Duration.ofMinutes(25)))
                .setSource(SetpointSource.FALLBACK)
                .setVentilationLps(ventilationLps)
                .build();
    }
}
