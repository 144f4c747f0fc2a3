package io.kelvin.model;

import static io.kelvin.model.FeatureDesign.FLOOR_AREA;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Learns a {@link ThermalModel} for one {@link FeatureDesign} from rows shaped like Feedback
 * records: one building's history for a per-building model, or many buildings' rows for the
 * pooled model (energy per m2 makes them comparable).
 *
 * <p>Procedure: standardise the design's terms on the training rows; for each target choose the
 * ridge penalty by mean absolute error on the validation rows (which should come after the
 * training rows in time, as in production); then refit on training and validation rows together
 * with the chosen penalties. Rows missing a feature the design reads, or with a non-positive
 * floor area, are skipped and counted rather than imputed.
 */
public final class ThermalModelLearner {
    private final FeatureDesign design;
    private final LambdaSearch search;

    public ThermalModelLearner(FeatureDesign design, LambdaSearch search) {
        this.design = design;
        this.search = search;
    }

    public ThermalModelLearner(FeatureDesign design) {
        this(design, new LambdaSearch());
    }

    public FeatureDesign design() {
        return design;
    }

    public FittedModel fit(List<TrainingRow> train, List<TrainingRow> validation) {
        List<TrainingRow> usableTrain = usable(train);
        List<TrainingRow> usableValidation = usable(validation);
        int skipped = train.size() - usableTrain.size() + validation.size() - usableValidation.size();
        int k = design.terms().size();
        if (usableTrain.size() <= k || usableValidation.isEmpty()) {
            throw new IllegalArgumentException("Too few usable rows to learn " + k + " terms: " + usableTrain.size()
                    + " training, " + usableValidation.size() + " validation (" + skipped + " skipped for missing features)");
        }

        Standardizer std = Standardizer.fit(terms(usableTrain));
        RidgeRegression ridge = new RidgeRegression(std.apply(terms(usableTrain)));
        double[][] zValidation = std.apply(terms(usableValidation));
        LambdaSearch.Choice energy = search.search(ridge, targets(usableTrain, ThermalModel::energyTarget),
                fit -> energyError(fit, zValidation, usableValidation));
        LambdaSearch.Choice indoor = search.search(ridge, targets(usableTrain, ThermalModel::indoorTarget),
                fit -> indoorError(fit, zValidation, usableValidation));
        ModelErrors validationErrors = new ModelErrors(energy.validationError(), indoor.validationError(), usableValidation.size());

        List<TrainingRow> all = new ArrayList<>(usableTrain);
        all.addAll(usableValidation);
        Standardizer allStd = Standardizer.fit(terms(all));
        RidgeRegression allRidge = new RidgeRegression(allStd.apply(terms(all)));
        ThermalModel model = new ThermalModel(design, allStd,
                allRidge.fit(targets(all, ThermalModel::energyTarget), energy.lambda()),
                allRidge.fit(targets(all, ThermalModel::indoorTarget), indoor.lambda()),
                energy.lambda(), indoor.lambda());
        return new FittedModel(model, energy, indoor, validationErrors, all.size(), skipped);
    }

    /** Rows whose every input of the design is finite, with a positive floor area. */
    public List<TrainingRow> usable(List<TrainingRow> rows) {
        List<String> inputs = design.rawInputs();
        return rows.stream()
                .filter(r -> inputs.stream().allMatch(n -> Double.isFinite(r.feature(n))) && r.feature(FLOOR_AREA) > 0)
                .toList();
    }

    private double[][] terms(List<TrainingRow> rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = design.row(rows.get(i)::feature);
        }
        return out;
    }

    private static double[] targets(List<TrainingRow> rows, ToDoubleFunction<TrainingRow> target) {
        return rows.stream().mapToDouble(target).toArray();
    }

    /** MAE in kWh, after scaling back from per m2 and clipping at zero as the model does. */
    private static double energyError(LinearFit fit, double[][] z, List<TrainingRow> rows) {
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            TrainingRow r = rows.get(i);
            sum += Math.abs(ThermalModel.energyKwh(fit.predict(z[i]), r.feature(FLOOR_AREA)) - r.energyKwh());
        }
        return sum / z.length;
    }

    /** MAE in degrees C, after adding back the last indoor reading. */
    private static double indoorError(LinearFit fit, double[][] z, List<TrainingRow> rows) {
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            TrainingRow r = rows.get(i);
            sum += Math.abs(ThermalModel.indoorC(fit.predict(z[i]), r.feature(FeatureDesign.INDOOR_LAST)) - r.indoorC());
        }
        return sum / z.length;
    }
}
