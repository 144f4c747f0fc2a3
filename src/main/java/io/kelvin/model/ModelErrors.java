package io.kelvin.model;

import java.util.List;
import java.util.function.Function;

/**
 * Mean absolute errors of predictions against observed outcomes, in the units a user reads:
 * kWh of the next window's energy, degrees C of its mean indoor temperature.
 */
public record ModelErrors(double maeEnergyKwh, double maeIndoorC, int rows) {
    private static final String PREVIOUS_ENERGY = "hvac_energy_kwh";

    /** How well {@code model} predicts {@code rows}. */
    public static ModelErrors of(ThermalModel model, List<TrainingRow> rows) {
        return of(rows, r -> model.predict(r::feature));
    }

    /**
     * The naive baseline a model must beat: the next window repeats this one (energy of the
     * closed window, the last indoor reading). Rows lacking either are left out.
     */
    public static ModelErrors persistence(List<TrainingRow> rows) {
        List<TrainingRow> usable = rows.stream()
                .filter(r -> Double.isFinite(r.feature(PREVIOUS_ENERGY)) && Double.isFinite(r.feature(FeatureDesign.INDOOR_LAST)))
                .toList();
        return of(usable, r -> new Prediction(r.feature(PREVIOUS_ENERGY), r.feature(FeatureDesign.INDOOR_LAST)));
    }

    public static ModelErrors of(List<TrainingRow> rows, Function<TrainingRow, Prediction> predictor) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("No rows to evaluate on");
        }
        double energy = 0;
        double indoor = 0;
        for (TrainingRow r : rows) {
            Prediction p = predictor.apply(r);
            energy += Math.abs(p.energyKwh() - r.energyKwh());
            indoor += Math.abs(p.indoorC() - r.indoorC());
        }
        return new ModelErrors(energy / rows.size(), indoor / rows.size(), rows.size());
    }

    /** Errors relative to a baseline's, summed over both targets: below 2 beats it on average. */
    public double relativeTo(ModelErrors baseline) {
        return maeEnergyKwh / baseline.maeEnergyKwh + maeIndoorC / baseline.maeIndoorC;
    }
}
