package io.kelvin.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every drawn building lies within the documented ranges and is reproducible from the seed. */
class FleetGeneratorTest {

    @Test
    void shouldDrawTheSameFleetFromTheSameSeed() {
        assertThat(new FleetGenerator(42).generate(20)).isEqualTo(new FleetGenerator(42).generate(20));
        assertThat(new FleetGenerator(42).generate(20)).isNotEqualTo(new FleetGenerator(43).generate(20));
    }

    @Test
    void shouldKeepABuildingWhateverTheFleetSize() {
        assertThat(new FleetGenerator(7).generate(50).subList(0, 5)).isEqualTo(new FleetGenerator(7).generate(5));
    }

    @Test
    void shouldStayWithinTheDocumentedRanges() {
        List<BuildingSpec> fleet = new FleetGenerator(1).generate(500);
        Set<Climate> climates = EnumSet.noneOf(Climate.class);
        for (BuildingSpec b : fleet) {
            double area = b.floorAreaM2();
            var t = b.thermal();
            var p = b.profile();
            climates.add(b.climate());
            assertThat(area).isBetween(995.0, 20_005.0);
            assertThat(t.massCapacityKwhPerK() * 3600 / area).as("kJ/(m²K)").isBetween(79.9, 370.1);
            assertThat(t.airMassConductanceKwPerK() * 1000 / area).as("H_am W/(m²K)").isBetween(9.0, 11.5);
            assertThat(t.airCapacityKwhPerK() * 3600 / area).as("C_air kJ/(m²K)").isBetween(1.2 * 2.8 + 5, 1.2 * 3.6 + 15);
            assertThat(t.steadyStateLossKwPerK(1) * 1000 / area).as("loss W/(m²K)").isBetween(0.3, 4.0);
            // envelope 0.5–1.0 × windows 25–60 % × g 0.35–0.6 × frame 0.7 × shading 0.3–0.5
            assertThat(b.solarApertureM2() / area).isBetween(0.5 * 0.25 * 0.35 * 0.7 * 0.3, 1.0 * 0.6 * 0.6 * 0.7 * 0.5);
            assertThat(p.getComfortMinC()).isBetween(20.0, 21.0);
            assertThat(p.getComfortMaxC() - p.getComfortMinC()).isEqualTo(4.0);
            assertThat(p.getOccupiedSetpointC() - p.getComfortMinC()).isBetween(1.0, 1.5);
            assertThat(p.getUnoccupiedSetpointC()).isBetween(15.0, 18.0);
            assertThat(p.getMinSetpointC()).isLessThanOrEqualTo(p.getUnoccupiedSetpointC());
            assertThat(p.getMaxSetpointC()).isGreaterThanOrEqualTo(p.getComfortMaxC());
            assertThat(b.bms().deadbandHalfWidthK()).isBetween(0.25, 0.75);
            assertThat(b.bms().warmUpMinutes()).isBetween(60, 180);
            assertThat(b.plant().heatingCapacityKw()).as("at least the design heat loss")
                    .isGreaterThan(t.steadyStateLossKwPerK(1) * (p.getOccupiedSetpointC() - b.climate().heatingDesignC()));
            assertThat(b.plant().heatingCop(7)).isBetween(2.4, 4.6);
            assertThat(b.plant().coolingEer(35)).isBetween(2.4, 3.6);
            assertThat(b.plant().fanPowerKw() / b.ventilationAirflowM3s()).isBetween(1.0, 2.0);
            assertThat(p.getDesignVentilationLps()).isCloseTo(b.ventilationAirflowM3s() * 1000, within(1e-9));
            assertThat(p.getDesignVentilationLps() / area).as("design L/(s·m²)").isBetween(0.8, 2.0);
            assertThat(p.getMinVentilationLps() / area).as("least L/(s·m²)").isBetween(0.35, 0.7);
            assertThat(p.getMinVentilationLps()).isLessThanOrEqualTo(p.getDesignVentilationLps());
            assertThat(p.getCo2LimitPpm()).isEqualTo(1000.0);
            assertThat(area / b.occupants().designPeople()).isBetween(9.9, 20.1);
            assertThat(b.sensors().zoneBiasK()).hasSizeBetween(2, 3).allSatisfy(bias -> assertThat(bias).isBetween(-0.5, 0.5));
            assertThat(p.getOccupancy()).isNotEmpty();
        }
        assertThat(climates).containsExactlyInAnyOrder(Climate.values());
    }
}
