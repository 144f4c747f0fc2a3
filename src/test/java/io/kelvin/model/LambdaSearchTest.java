package io.kelvin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LambdaSearchTest {

    /** Rows of one real feature and {@code noise} irrelevant ones: y = 2 x0 + noise. */
    private static double[][] features(Random random, int rows, int noise) {
        double[][] x = new double[rows][noise + 1];
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return x;
    }

    private static double[] targets(Random random, double[][] x, double noiseSd) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 2 * x[i][0] + noiseSd * random.nextGaussian();
        }
        return y;
    }

    private static double mae(LinearFit fit, double[][] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += Math.abs(fit.predict(x[i]) - y[i]);
        }
        return sum / x.length;
    }

    @Test
    void shouldPickThePenaltyWithTheSmallestValidationError() {
        // Few noisy training rows and many irrelevant features: an unpenalised fit overfits.
        Random random = new Random(5);
        double[][] xTrain = features(random, 40, 25);
        double[] yTrain = targets(random, xTrain, 1.0);
        double[][] xValidation = features(random, 2_000, 25);
        double[] yValidation = targets(random, xValidation, 1.0);
        RidgeRegression ridge = new RidgeRegression(xTrain);

        LambdaSearch.Choice choice = new LambdaSearch().search(ridge, yTrain, fit -> mae(fit, xValidation, yValidation));

        assertThat(choice.scores()).hasSize(LambdaSearch.DEFAULT_GRID.length);
        for (LambdaSearch.Score s : choice.scores()) {
            assertThat(s.validationError()).as("lambda %s", s.lambda())
                    .isCloseTo(mae(ridge.fit(yTrain, s.lambda()), xValidation, yValidation), within(1e-12));
        }
        LambdaSearch.Score best = choice.scores().stream().min(Comparator.comparingDouble(LambdaSearch.Score::validationError)).orElseThrow();
        assertThat(choice.lambda()).isEqualTo(best.lambda());
        assertThat(choice.validationError()).isEqualTo(best.validationError());
        assertThat(choice.fit()).isEqualTo(ridge.fit(yTrain, choice.lambda()));
        // Here regularising pays: the choice beats the least-penalised fit on validation.
        assertThat(choice.lambda()).isGreaterThan(LambdaSearch.DEFAULT_GRID[0]);
        assertThat(choice.validationError()).isLessThan(choice.scores().get(0).validationError());
    }

    @Test
    void shouldPickASmallPenaltyWhenDataIsPlentifulAndClean() {
        Random random = new Random(9);
        double[][] xTrain = features(random, 5_000, 2);
        double[] yTrain = targets(random, xTrain, 0.01);
        double[][] xValidation = features(random, 1_000, 2);
        double[] yValidation = targets(random, xValidation, 0.01);

        LambdaSearch.Choice choice = new LambdaSearch().search(new RidgeRegression(xTrain), yTrain,
                fit -> mae(fit, xValidation, yValidation));

        assertThat(choice.lambda()).isLessThanOrEqualTo(1e-3);
        assertThat(choice.fit().coefficients()[0]).isCloseTo(2.0, within(0.01));
    }

    @Test
    void shouldPreferTheLargerPenaltyOnATie() {
        double[][] x = {{1}, {2}, {3}, {4}};
        LambdaSearch search = new LambdaSearch(new double[] {10, 0.1, 1});

        LambdaSearch.Choice choice = search.search(new RidgeRegression(x), new double[] {1, 2, 3, 4}, fit -> 0.5);

        assertThat(choice.lambda()).isEqualTo(10);
        assertThat(choice.scores()).extracting(LambdaSearch.Score::lambda).containsExactly(0.1, 1.0, 10.0);
    }
}
