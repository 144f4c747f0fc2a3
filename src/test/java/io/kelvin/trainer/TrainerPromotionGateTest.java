package io.kelvin.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.config.KelvinConfig;
import io.kelvin.model.ModelErrors;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The champion/challenger rule at its edges: errors priced as the objective prices them, the relative margin. */
class TrainerPromotionGateTest {
    /** 1 per kWh; 100 per kelvin-hour over a 10-minute window: 16.67 per kelvin. */
    private static final PromotionGate GATE = new PromotionGate(0.02, 1.0, 100.0 / 6);
    private static final ModelErrors CHAMPION = new ModelErrors(1.0, 0.06, 144);     // priced 1.0 + 1.0 = 2.0

    @Test
    void shouldPriceErrorsAsTheObjectiveDoes() {
        assertThat(GATE.cost(CHAMPION)).isCloseTo(2.0, within(1e-12));
        KelvinConfig config = KelvinConfig.of(Map.of("application.id", "t", "bootstrap.servers", "unused:1",
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://t"));
        PromotionGate shipped = PromotionGate.fromConfig(config);
        assertThat(shipped.margin()).isEqualTo(0.02);
        assertThat(shipped.energyWeight()).isEqualTo(1.0);
        assertThat(shipped.indoorWeight()).isCloseTo(100.0 / 6, within(1e-9));
    }

    @Test
    void shouldPromoteAChallengerCheaperByMoreThanTheMargin() {
        assertThat(GATE.promotes(new ModelErrors(0.95, 0.06, 144), CHAMPION)).isTrue();      // 1.95 < 1.96
    }

    @Test
    void shouldKeepTheChampionWhenTheChallengerIsCheaperByTheMarginOrLess() {
        assertThat(GATE.promotes(new ModelErrors(0.96, 0.06, 144), CHAMPION)).isFalse();     // 1.96: exactly at the margin
        assertThat(GATE.promotes(new ModelErrors(0.99, 0.06, 144), CHAMPION)).isFalse();
        assertThat(new PromotionGate(0.0, 1.0, 100.0 / 6).promotes(new ModelErrors(0.99, 0.06, 144), CHAMPION)).isTrue();
    }

    @Test
    void shouldPromoteABetterTemperatureModelThatPaysWithALittleEnergyError() {
        // As the demo's building-006: indoor error 0.075 -> 0.022 K for energy error 0.49 -> 0.55 kWh.
        assertThat(GATE.promotes(new ModelErrors(0.5488, 0.0218, 144), new ModelErrors(0.4902, 0.0748, 144))).isTrue();
    }

    @Test
    void shouldKeepTheChampionWhenBetterEnergyCostsMoreInTemperature() {
        assertThat(GATE.promotes(new ModelErrors(0.5, 0.10, 144), CHAMPION)).isFalse();      // 0.5 + 1.67 = 2.17
        assertThat(GATE.promotes(new ModelErrors(1.5, 0.0, 144), CHAMPION)).isTrue();        // 1.5 + 0 = 1.5
    }

    @Test
    void shouldNeverReplaceAChampionWithoutError() {
        assertThat(GATE.promotes(new ModelErrors(0.0, 0.0, 144), new ModelErrors(0.0, 0.0, 144))).isFalse();
    }

    @Test
    void shouldRefuseAMarginOutsideZeroToOneAndMeaninglessWeights() {
        assertThatThrownBy(() -> new PromotionGate(1.0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PromotionGate(-0.1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PromotionGate(0.02, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PromotionGate(0.02, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
