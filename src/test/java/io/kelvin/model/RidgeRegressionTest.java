package io.kelvin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RidgeRegressionTest {

    @Test
    void shouldRecoverKnownCoefficientsFromNoisyData() {
        // y = 4 + 2.5 x1 - 0.7 x2 + 0 x3 + noise(sd 0.05), columns on very different scales
        Random random = new Random(11);
        int n = 3_000;
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double x1 = 5 + 3 * random.nextGaussian();
            double x2 = -10 + 20 * random.nextDouble();
            double x3 = 1_000 + 100 * random.nextGaussian();
            x[i] = new double[] {x1, x2, x3};
            y[i] = 4 + 2.5 * x1 - 0.7 * x2 + 0.05 * random.nextGaussian();
        }

        LinearFit fit = new RidgeRegression(x).fit(y, 1e-9);

        assertThat(fit.coefficients()[0]).isCloseTo(2.5, within(0.005));
        assertThat(fit.coefficients()[1]).isCloseTo(-0.7, within(0.005));
        assertThat(fit.coefficients()[2]).isCloseTo(0.0, within(0.001));
        assertThat(fit.intercept()).isCloseTo(4.0, within(0.5));
        assertThat(fit.predict(new double[] {5, 0, 1_000})).isCloseTo(4 + 12.5, within(0.01));
    }

    @Test
    void shouldShrinkTheWeightsButNotTheInterceptAsThePenaltyGrows() {
        Random random = new Random(3);
        int n = 500;
        double[][] x = new double[n][];
        double[] y = new double[n];
        double yMean = 0;
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {random.nextGaussian(), random.nextGaussian()};
            y[i] = 10 + 3 * x[i][0] - 2 * x[i][1] + random.nextGaussian();
            yMean += y[i] / n;
        }
        RidgeRegression ridge = new RidgeRegression(x);

        double previousNorm = Double.POSITIVE_INFINITY;
        for (double lambda : new double[] {1e-4, 1e-1, 1, 10, 1e4}) {
            double[] w = ridge.fit(y, lambda).coefficients();
            double norm = Math.hypot(w[0], w[1]);
            assertThat(norm).as("norm at lambda %s", lambda).isLessThan(previousNorm);
            previousNorm = norm;
        }
        LinearFit heavy = ridge.fit(y, 1e6);
        assertThat(heavy.coefficients()).containsExactly(new double[] {0, 0}, within(1e-4));
        assertThat(heavy.intercept()).isCloseTo(yMean, within(0.01));
    }

    @Test
    void shouldRejectAPenaltyThatIsNotPositive() {
        RidgeRegression ridge = new RidgeRegression(new double[][] {{1}, {2}, {3}});
        assertThatThrownBy(() -> ridge.fit(new double[] {1, 2, 3}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ridge.fit(new double[] {1, 2, 3}, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ridge.fit(new double[] {1, 2}, 1)).hasMessageContaining("Expected 3 targets");
    }
}
