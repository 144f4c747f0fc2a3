package io.kelvin.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.model.ModelErrors;
import org.junit.jupiter.api.Test;

/** The champion/challenger rule at its edges: the relative margin on energy, the tolerance on indoor. */
class TrainerPromotionGateTest {
    private static final ModelErrors CHAMPION = new ModelErrors(1.0, 0.20, 144);

    @Test
    void shouldPromoteAChallengerBetterByMoreThanTheMargin() {
        assertThat(new PromotionGate(0.02).promotes(new ModelErrors(0.97, 0.20, 144), CHAMPION)).isTrue();
    }

    @Test
    void shouldKeepTheChampionWhenTheChallengerIsBetterByLessThanTheMargin() {
        assertThat(new PromotionGate(0.02).promotes(new ModelErrors(0.99, 0.10, 144), CHAMPION)).isFalse();
        assertThat(new PromotionGate(0.02).promotes(new ModelErrors(0.98, 0.10, 144), CHAMPION)).isFalse(); // exactly at the margin
        assertThat(new PromotionGate(0.0).promotes(new ModelErrors(0.99, 0.20, 144), CHAMPION)).isTrue();
    }

    @Test
    void shouldKeepTheChampionWhenTheChallengerIsWorse() {
        assertThat(new PromotionGate(0.02).promotes(new ModelErrors(1.5, 0.10, 144), CHAMPION)).isFalse();
    }

    @Test
    void shouldKeepTheChampionWhenBetterEnergyCostsIndoorAccuracyBeyondTheMargin() {
        assertThat(new PromotionGate(0.02).promotes(new ModelErrors(0.5, 0.205, 144), CHAMPION)).isFalse();
        assertThat(new PromotionGate(0.02).promotes(new ModelErrors(0.5, 0.203, 144), CHAMPION)).isTrue();
    }

    @Test
    void shouldRefuseAMarginOutsideZeroToOne() {
        assertThatThrownBy(() -> new PromotionGate(1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PromotionGate(-0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
