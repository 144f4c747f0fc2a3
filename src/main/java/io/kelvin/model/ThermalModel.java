package io.kelvin.model;

import static io.kelvin.model.FeatureDesign.FLOOR_AREA;
import static io.kelvin.model.FeatureDesign.INDOOR_LAST;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A trained thermal model: two ridge-regressed linear predictors over one {@link FeatureDesign},
 * its terms standardised.
 *
 * <ul>
 *   <li>Energy is learnt per m2 of floor area and scaled back, and clipped at zero (a heat pump
 *       does not produce electricity): {@code energyKwh = max(0, area * energyPerM2(z))}. One
 *       pooled model thus serves buildings of different sizes.</li>
 *   <li>Indoor temperature is learnt as the change from the last indoor reading: {@code indoorC
 *       = indoor_last_c + indoorChange(z)}, so that the penalty shrinks towards "the room stays
 *       as it is", not towards a fleet-average temperature.</li>
 * </ul>
 * where {@code z = (terms(raw) - mean) / scale}. {@link ThermalGraph} emits exactly this function
 * as ONNX. Immutable and thread-safe.
 */
public record ThermalModel(FeatureDesign design, Standardizer standardizer, LinearFit energyPerM2, LinearFit indoorChange,
                           double energyLambda, double indoorLambda) {

    public ThermalModel {
        int k = design.terms().size();
        if (standardizer.mean().length != k || energyPerM2.coefficients().length != k || indoorChange.coefficients().length != k) {
            throw new IllegalArgumentException("Design has " + k + " terms but the fitted parts do not");
        }
    }

    /** The input columns, in order: the model's {@code kelvin.feature_names}. */
    public List<String> inputs() {
        return design.rawInputs();
    }

    /** Predicts from features by name (as a Feedback record carries them). */
    public Prediction predict(Map<String, Double> features) {
        return predict(name -> {
            Double v = features.get(name);
            return v == null ? Double.NaN : v;
        });
    }

    /** Predicts from one row whose columns follow {@link #inputs()}. */
    public Prediction predict(double[] row) {
        List<String> names = inputs();
        if (row.length != names.size()) {
            throw new IllegalArgumentException("Expected " + names.size() + " columns " + names + ", got " + row.length);
        }
        Map<String, Double> byName = new HashMap<>();
        for (int i = 0; i < row.length; i++) {
            byName.put(names.get(i), row[i]);
        }
        return predict(byName);
    }

    public Prediction predict(ToDoubleFunction<String> raw) {
        double[] z = standardizer.apply(design.row(raw));
        return new Prediction(energyKwh(energyPerM2.predict(z), raw.applyAsDouble(FLOOR_AREA)),
                indoorC(indoorChange.predict(z), raw.applyAsDouble(INDOOR_LAST)));
    }

    /** Undoes the energy target: kWh from kWh per m2, clipped at zero. */
    static double energyKwh(double perM2, double floorAreaM2) {
        return Math.max(0.0, perM2 * floorAreaM2);
    }

    /** Undoes the indoor target: degrees C from the change since the last reading. */
    static double indoorC(double change, double indoorLastC) {
        return indoorLastC + change;
    }

    /** The energy target as learnt: kWh per m2. */
    static double energyTarget(TrainingRow row) {
        return row.energyKwh() / row.feature(FLOOR_AREA);
    }

    /** The indoor target as learnt: change from the last indoor reading, K. */
    static double indoorTarget(TrainingRow row) {
        return row.indoorC() - row.feature(INDOOR_LAST);
    }
}
