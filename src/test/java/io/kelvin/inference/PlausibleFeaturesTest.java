package io.kelvin.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.optimizer.FeatureBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlausibleFeaturesTest {

    @Test
    void shouldHaveAFiniteValueForEveryKnownFeatureInEverySituation() {
        // A feature added to FeatureBuilder without a plausible value would make every model using it unloadable.
        for (String name : FeatureBuilder.KNOWN_FEATURES) {
            for (int s = 0; s < PlausibleFeatures.situations(); s++) {
                assertThat(PlausibleFeatures.value(name, s)).as("%s in %s", name, PlausibleFeatures.situationName(s)).isFinite();
            }
        }
    }

    @Test
    void shouldDeriveDeltaAndClockFeaturesTheWayTheFeatureBuilderDoes() {
        for (int s = 0; s < PlausibleFeatures.situations(); s++) {
            assertThat(PlausibleFeatures.value("setpoint_delta_k", s)).isCloseTo(
                    PlausibleFeatures.value("candidate_setpoint_c", s) - PlausibleFeatures.value("previous_setpoint_c", s), within(1e-12));
            double sin = PlausibleFeatures.value("hour_sin", s);
            double cos = PlausibleFeatures.value("hour_cos", s);
            assertThat(sin * sin + cos * cos).isCloseTo(1.0, within(1e-12));
            assertThat(Math.abs(PlausibleFeatures.value("setpoint_delta_k", s))).isLessThanOrEqualTo(0.5);
        }
    }

    @Test
    void shouldCycleThroughTheSituationsInTheOrderOfTheNamesGiven() {
        List<String> names = List.of("outdoor_mean_c", "occupied_next");

        float[] rows = PlausibleFeatures.rows(names, 5);

        assertThat(rows).containsExactly(-8f, 0f, -2f, 1f, 33f, 1f, 14f, 1f, -8f, 0f);
    }

    @Test
    void shouldNameAnUnknownFeature() {
        assertThatThrownBy(() -> PlausibleFeatures.row(List.of("solar_gain_w"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("solar_gain_w");
    }
}
