package io.kelvin.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Heat pump, chiller, economiser and the zone controller that uses them. */
class HvacPlantTest {
    // 100 kW heating, 80 kW cooling, 35 °C sink, Staffell fit as is, chiller at 45 % of Carnot,
    // 5 kW fans, chiller locked out below 14 °C, economiser 2 kW/K.
    private final HvacPlant plant = new HvacPlant(100, 80, 35, 1.0, 0.45, 5, 14, 2);

    @Test
    void shouldFollowTheStaffellFitForTheHeatPump() {
        assertThat(plant.heatingCop(7)).isCloseTo(6.81 - 0.121 * 28 + 0.000630 * 28 * 28, within(1e-12)); // 3.92
        assertThat(plant.heatingCop(-7)).isCloseTo(2.84, within(0.01));
        assertThat(plant.heatingCop(30)).isEqualTo(plant.heatingCop(20));  // the fit's lower bound of 15 K lift
        assertThat(plant.heatingCop(-40)).isGreaterThanOrEqualTo(HvacPlant.MIN_COP);
    }

    @Test
    void shouldCoolLessEfficientlyWhenItIsHotter() {
        assertThat(plant.coolingEer(35)).isCloseTo(0.45 * 278.15 / 40, within(1e-9)); // 3.13
        assertThat(plant.coolingEer(25)).isGreaterThan(plant.coolingEer(35));
        assertThat(plant.coolingEer(-10)).isEqualTo(HvacPlant.MAX_EER);
    }

    @Test
    void shouldBillHeatAtTheCopCoolingAtTheEerAndFansWhileTheyRun() {
        assertThat(plant.electricKw(39.2, 7, 0)).isCloseTo(39.2 / plant.heatingCop(7), within(1e-12));
        assertThat(plant.electricKw(-31.3, 35, 1)).isCloseTo(31.3 / plant.coolingEer(35) + 5, within(1e-12));
        assertThat(plant.electricKw(0, 10, 1)).isEqualTo(5.0);
        assertThat(plant.electricKw(0, 10, 0)).isZero();
    }

    @Test
    void shouldRunTheFansOnTheVariableSpeedPartLoadCurve() {
        assertThat(plant.fanKw(0)).isZero();
        assertThat(plant.fanKw(1)).isCloseTo(5.0, within(1e-12));
        assertThat(plant.fanKw(0.5) / 5).isCloseTo((0.0013 + 0.0735 + 0.23765 - 0.012475) / 0.9991, within(1e-12)); // 0.300
        double previous = 0;
        for (int i = 1; i <= 100; i++) {
            double share = i / 100.0;
            assertThat(plant.fanKw(share)).as("at %.2f", share).isGreaterThan(previous).isLessThanOrEqualTo(5 * share);
            previous = plant.fanKw(share);
        }
        assertThat(plant.electricKw(0, 10, 0.5)).isEqualTo(plant.fanKw(0.5));
        assertThatThrownBy(() -> plant.fanKw(1.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plant.fanKw(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldHeatToTheBandsLowerEdgeWithinCapacity() {
        ZoneSetpoints band = ZoneSetpoints.around(21, 0.5, false);
        var small = ZoneController.control(20.4, 0.01, band, plant, 20.4, 5, 0);
        assertThat(small.thermalKw()).isCloseTo(10, within(1e-9));             // (20.5 - 20.4) / 0.01
        assertThat(small.mechanicalKw()).isCloseTo(10, within(1e-9));
        assertThat(ZoneController.control(15, 0.01, band, plant, 15, 5, 0).thermalKw()).isEqualTo(100); // capacity
        assertThat(ZoneController.control(21, 0.01, band, plant, 21, 5, 0)).isEqualTo(ZoneController.Delivery.OFF);
    }

    @Test
    void shouldCoolWithTheEconomiserFirstAndTheChillerOnlyWhenNotLockedOut() {
        ZoneSetpoints band = ZoneSetpoints.around(22, 0.5, false);
        // 0.5 K too warm at 0.01 K/kW: 50 kW needed.
        var winter = ZoneController.control(23, 0.01, band, plant, 23, 8, 1);
        assertThat(winter.thermalKw()).isCloseTo(-2 * (23 - 8), within(1e-9)); // economiser only: 30 kW, chiller locked out at 8 °C
        assertThat(winter.mechanicalKw()).isZero();
        var half = ZoneController.control(23, 0.01, band, plant, 23, 8, 0.5);
        assertThat(half.thermalKw()).isCloseTo(-(23 - 8), within(1e-9));      // half the outdoor air: half the free cooling
        var closed = ZoneController.control(23, 0.01, band, plant, 23, 8, 0);
        assertThat(closed.thermalKw()).isCloseTo(0, within(1e-12));           // no AHU, no economiser, no chiller
        assertThat(closed.mechanicalKw()).isCloseTo(0, within(1e-12));
        var mild = ZoneController.control(23, 0.01, band, plant, 23, 16, 1);
        assertThat(mild.thermalKw()).isCloseTo(-50, within(1e-9));            // economiser 14 kW + chiller 36 kW
        assertThat(mild.mechanicalKw()).isCloseTo(-36, within(1e-9));
    }
}
