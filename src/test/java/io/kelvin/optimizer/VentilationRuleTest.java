package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.schema.BuildingProfile;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Demand-controlled ventilation: the CO₂ reset between the profile's least and design airflow. */
class VentilationRuleTest {
    private static final VentilationRule RULE = new VentilationRule(true, 400, 100);

    private static BuildingProfile profile(Double minLps, Double designLps) {
        return BuildingProfile.newBuilder()
                .setBuildingId("b1")
                .setFloorAreaM2(1_000)
                .setMinSetpointC(15)
                .setMaxSetpointC(26)
                .setComfortMinC(20)
                .setComfortMaxC(24)
                .setOccupiedSetpointC(21)
                .setUnoccupiedSetpointC(17)
                .setOccupancy(List.of())
                .setMinVentilationLps(minLps)
                .setDesignVentilationLps(designLps)
                .setCo2LimitPpm(1_000)
                .build();
    }

    @Test
    void shouldResetTheAirflowFromLeastToDesignAsTheCo2Rises() {
        BuildingProfile p = profile(500.0, 1_500.0);
        assertThat(RULE.ventilationLps(p, 420, true)).isEqualTo(500.0);
        assertThat(RULE.ventilationLps(p, 500, true)).isEqualTo(500.0);   // limit − margin − band
        assertThat(RULE.ventilationLps(p, 700, true)).isCloseTo(1_000.0, within(1e-9));
        assertThat(RULE.ventilationLps(p, 900, true)).isEqualTo(1_500.0); // limit − margin
        assertThat(RULE.ventilationLps(p, 2_500, true)).isEqualTo(1_500.0);
    }

    @Test
    void shouldCommandNoAirflowWhenItCannotOrNeedNot() {
        BuildingProfile p = profile(500.0, 1_500.0);
        assertThat(RULE.ventilationLps(p, 800, false)).as("not occupied next").isNull();
        assertThat(RULE.ventilationLps(p, Double.NaN, true)).as("no CO₂ in the window").isNull();
        assertThat(new VentilationRule(false, 400, 100).ventilationLps(p, 800, true)).as("disabled").isNull();
        assertThat(RULE.ventilationLps(profile(null, 1_500.0), 800, true)).as("no least airflow").isNull();
        assertThat(RULE.ventilationLps(profile(500.0, null), 800, true)).as("no design airflow").isNull();
        assertThat(RULE.ventilationLps(profile(1_600.0, 1_500.0), 800, true)).as("inverted").isNull();
        assertThat(RULE.ventilationLps(profile(-1.0, 1_500.0), 800, true)).as("negative").isNull();
        assertThat(RULE.ventilationLps(profile(500.0, Double.POSITIVE_INFINITY), 800, true)).as("infinite").isNull();
        assertThat(RULE.ventilationLps(profile(0.0, 0.0), 800, true)).as("no design airflow to speak of").isNull();
        assertThat(VentilationRule.isUsable(profile(0.0, 1_500.0))).isTrue();
    }

    @Test
    void shouldNeverLeaveTheProfilesLimits() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            double design = 10 + random.nextDouble() * 50_000;
            double min = random.nextDouble() * design;
            BuildingProfile p = profile(min, design);
            double co2 = random.nextDouble() * 5_000;
            Double lps = new VentilationRule(true, 1 + random.nextDouble() * 1_000, random.nextDouble() * 500).ventilationLps(p, co2, true);
            assertThat(lps).isNotNull().isBetween(min, design);
        }
    }

    @Test
    void shouldRejectAnEmptyBand() {
        assertThatThrownBy(() -> new VentilationRule(true, 0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VentilationRule(true, 400, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
