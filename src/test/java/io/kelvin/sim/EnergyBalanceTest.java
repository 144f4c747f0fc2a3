package io.kelvin.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Over a simulated day of a generated building under its controller, the heat put in (HVAC and
 * gains) equals the heat stored plus the heat lost to the outside, with the losses integrated
 * independently on a one-second grid.
 */
class EnergyBalanceTest {

    @Test
    void shouldConserveEnergyOverASimulatedDay() {
        BuildingSpec spec = new FleetGenerator(5).building(3);
        BuildingThermalModel minute = new BuildingThermalModel(spec.thermal(), Duration.ofMinutes(1));
        BuildingThermalModel second = new BuildingThermalModel(spec.thermal(), Duration.ofSeconds(1));
        BuildingTwin twin = new BuildingTwin(minute, spec.plant(), 17);
        double[] fine = {17, 17};
        double storedBefore = second.storedHeatKwh(fine);
        double heatIn = 0;
        double lost = 0;
        double hvacHeat = 0;
        double hvacCool = 0;
        for (int m = 0; m < 1440; m++) {
            double hour = m / 60.0;
            boolean occupied = hour >= 8 && hour < 18;
            double outdoor = 4 + 6 * Math.sin(2 * Math.PI * (hour - 9) / 24);
            double gains = (occupied ? 25.0 : 3.0) * spec.floorAreaM2() / 1000;
            double solar = Math.max(0, Math.sin(Math.PI * (hour - 8) / 8)) * spec.solarApertureM2() * 0.3;
            ZoneSetpoints band = occupied || hour >= 6 && hour < 8 ? ZoneSetpoints.around(21, 0.5, false)
                    : new ZoneSetpoints(16, 28, 16, false);
            if (hour >= 10 && hour < 14) {
                band = band.withAirflowShare(0.437); // demand-controlled ventilation around noon; the unit runs at 0.44
            }
            BuildingTwin.Step step = twin.step(occupied, outdoor, gains / 2, gains / 2 + solar, band);
            heatIn += (step.hvacKw() + gains + solar) / 60;
            hvacHeat += Math.max(0, step.hvacKw()) / 60;
            hvacCool += Math.min(0, step.hvacKw()) / 60;
            assertThat(step.airflowShare()).isEqualTo(!occupied ? 0 : hour >= 10 && hour < 14 ? 0.44 : 1);
            for (int s = 0; s < 60; s++) {
                double before = second.heatLossKw(fine, step.airflowShare(), outdoor);
                second.advance(fine, step.airflowShare(), outdoor, step.hvacKw(), gains / 2, gains / 2 + solar);
                lost += (before + second.heatLossKw(fine, step.airflowShare(), outdoor)) / 2 / 3600;
            }
            assertThat(fine[0]).as("air at minute %d", m + 1).isCloseTo(twin.airC(), within(1e-8));
            assertThat(fine[1]).as("mass at minute %d", m + 1).isCloseTo(twin.massC(), within(1e-8));
        }
        double stored = second.storedHeatKwh(fine) - storedBefore;
        assertThat(hvacHeat).as("the day needs heating").isGreaterThan(10);
        assertThat(stored + lost).isCloseTo(heatIn, within(1e-5 * (Math.abs(heatIn) + Math.abs(lost))));
        assertThat(hvacCool).isLessThanOrEqualTo(0);
    }
}
