package io.kelvin.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Compares candidate feature designs on one time split and keeps the better. Each design is
 * fitted (its penalties chosen on the validation rows), scored on validation as the sum of its
 * two MAEs relative to persistence's, and the lowest score wins; held-out errors are measured for
 * every candidate but play no part in the choice, so the winner's held-out figure stays honest.
 *
 * @param candidates           every design's fit and errors, in the order given
 * @param chosen               the winner
 * @param persistenceValidation the naive baseline on the validation rows
 * @param persistenceHoldout   the naive baseline on the held-out rows
 */
public record DesignComparison(List<Candidate> candidates, Candidate chosen, ModelErrors persistenceValidation,
                               ModelErrors persistenceHoldout) {

    public DesignComparison {
        candidates = List.copyOf(candidates);
    }

    /** One design's result: validation errors of the train-only fit, held-out errors of the final model. */
    public record Candidate(FittedModel fitted, double validationScore, ModelErrors holdout) {
        public FeatureDesign design() {
            return fitted.model().design();
        }
    }

    public static DesignComparison run(List<FeatureDesign> designs, LambdaSearch search, TimeSplit split) {
        if (designs.isEmpty()) {
            throw new IllegalArgumentException("Nothing to compare");
        }
        ModelErrors persistenceValidation = ModelErrors.persistence(split.validation());
        ModelErrors persistenceHoldout = ModelErrors.persistence(split.holdout());
        List<Candidate> candidates = new ArrayList<>();
        for (FeatureDesign design : designs) {
            ThermalModelLearner learner = new ThermalModelLearner(design, search);
            FittedModel fitted = learner.fit(split.train(), split.validation());
            ModelErrors holdout = ModelErrors.of(fitted.model(), learner.usable(split.holdout()));
            candidates.add(new Candidate(fitted, fitted.validation().relativeTo(persistenceValidation), holdout));
        }
        Candidate chosen = candidates.stream().min(Comparator.comparingDouble(Candidate::validationScore)).orElseThrow();
        return new DesignComparison(candidates, chosen, persistenceValidation, persistenceHoldout);
    }
}
