package io.kelvin.model;

import java.util.Arrays;

/** {@code intercept + coefficients . x}: one fitted linear predictor. */
public record LinearFit(double intercept, double[] coefficients) {

    public LinearFit {
        coefficients = coefficients.clone();
    }

    public double predict(double[] x) {
        if (x.length != coefficients.length) {
            throw new IllegalArgumentException("Expected " + coefficients.length + " values, got " + x.length);
        }
        double y = intercept;
        for (int j = 0; j < x.length; j++) {
            y += coefficients[j] * x[j];
        }
        return y;
    }

    @Override
    public double[] coefficients() {
        return coefficients.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearFit f && Double.compare(intercept, f.intercept) == 0 && Arrays.equals(coefficients, f.coefficients);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(intercept) + Arrays.hashCode(coefficients);
    }

    @Override
    public String toString() {
        return "LinearFit[intercept=" + intercept + ", coefficients=" + Arrays.toString(coefficients) + "]";
    }
}
