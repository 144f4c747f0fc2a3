package io.kelvin.trainer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.model.ModelErrors;

/**
 * The champion/challenger rule, in the optimizer's own currency: a model's held-out errors are
 * priced as the objective prices a wrong prediction of one window, {@code energyWeight} per kWh
 * of energy error plus {@code indoorWeight} per kelvin of temperature error (the comfort penalty
 * per kelvin-hour times the window's hours), and a challenger is released only when its price is
 * lower than the incumbent's by the relative {@code margin}. A challenger that predicts a room's
 * temperature three times better at a little more energy error therefore wins, as it should: it
 * is the temperature a comfort decision turns on. The incumbent is the serving model's logged
 * predictions on the held-out day, or persistence for a first model. Pure.
 */
public record PromotionGate(double margin, double energyWeight, double indoorWeight) {

    public PromotionGate {
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("Promotion margin must be in [0, 1), got " + margin);
        }
        if (!(energyWeight >= 0 && indoorWeight >= 0 && energyWeight + indoorWeight > 0)) {
            throw new IllegalArgumentException("Error weights must not be negative nor both zero, got " + energyWeight + " and " + indoorWeight);
        }
    }

    /** The gate of {@code kelvin.trainer.promotion.margin}, weighted by the objective's settings and the window size. */
    public static PromotionGate fromConfig(KelvinConfig config) {
        double windowHours = config.getLong(KelvinConfig.WINDOW_SIZE_MS_CONFIG) / 3_600_000.0;
        return new PromotionGate(config.getDouble(KelvinConfig.TRAINER_PROMOTION_MARGIN_CONFIG),
                config.getDouble(KelvinConfig.OBJECTIVE_ENERGY_PRICE_CONFIG),
                config.getDouble(KelvinConfig.OBJECTIVE_COMFORT_PENALTY_CONFIG) * windowHours);
    }

    /** What the objective would pay for these errors in one window. */
    public double cost(ModelErrors errors) {
        return energyWeight * errors.maeEnergyKwh() + indoorWeight * errors.maeIndoorC();
    }

    /** Whether {@code challenger} may replace {@code incumbent}; both measured on the same rows. */
    public boolean promotes(ModelErrors challenger, ModelErrors incumbent) {
        return cost(challenger) < cost(incumbent) * (1 - margin);
    }
}
