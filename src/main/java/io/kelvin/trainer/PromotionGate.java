package io.kelvin.trainer;

import io.kelvin.model.ModelErrors;

/**
 * The champion/challenger rule: a challenger is released only when its energy MAE beats the
 * incumbent's by the relative {@code margin} and its indoor MAE is not worse than the
 * incumbent's by more than the same fraction. The incumbent is the serving model's logged
 * predictions on the held-out day, or persistence for a first model. Pure.
 */
public record PromotionGate(double margin) {

    public PromotionGate {
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("Promotion margin must be in [0, 1), got " + margin);
        }
    }

    /** Whether {@code challenger} may replace {@code incumbent}; both measured on the same rows. */
    public boolean promotes(ModelErrors challenger, ModelErrors incumbent) {
        boolean energyBetter = challenger.maeEnergyKwh() < incumbent.maeEnergyKwh() * (1 - margin);
        boolean indoorNoWorse = challenger.maeIndoorC() <= incumbent.maeIndoorC() * (1 + margin);
        return energyBetter && indoorNoWorse;
    }
}
