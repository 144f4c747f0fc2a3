package io.kelvin.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Chooses the ridge penalty by validation error, not by habit: fits once per penalty of a
 * log-spaced grid on the training rows and keeps the penalty whose fit has the smallest error
 * on rows it was not fitted to. Ties go to the larger penalty (the simpler model).
 */
public final class LambdaSearch {
    /** Half-decade steps from 1e-6 to 1e2 (penalties on standardised columns, per row). */
    public static final double[] DEFAULT_GRID = grid(-6, 2);

    private final double[] grid;

    public LambdaSearch(double[] grid) {
        if (grid.length == 0 || Arrays.stream(grid).anyMatch(l -> !(l > 0) || !Double.isFinite(l))) {
            throw new IllegalArgumentException("The grid needs positive finite penalties: " + Arrays.toString(grid));
        }
        this.grid = grid.clone();
        Arrays.sort(this.grid);
    }

    public LambdaSearch() {
        this(DEFAULT_GRID);
    }

    /** What one penalty scored on validation. */
    public record Score(double lambda, double validationError) {}

    /** The chosen penalty, its fit on the training rows, and every penalty's score. */
    public record Choice(double lambda, LinearFit fit, double validationError, List<Score> scores) {
        public Choice {
            scores = List.copyOf(scores);
        }
    }

    /**
     * Searches the grid.
     *
     * @param ridge           the training design
     * @param y               training targets
     * @param validationError error of a fit on the validation rows, in the units that matter to
     *                        the user (for example MAE in kWh after undoing a target transform)
     */
    public Choice search(RidgeRegression ridge, double[] y, ToDoubleFunction<LinearFit> validationError) {
        List<Score> scores = new ArrayList<>(grid.length);
        LinearFit best = null;
        double bestLambda = Double.NaN;
        double bestError = Double.POSITIVE_INFINITY;
        for (int i = grid.length - 1; i >= 0; i--) {
            LinearFit fit = ridge.fit(y, grid[i]);
            double error = validationError.applyAsDouble(fit);
            scores.add(0, new Score(grid[i], error));
            if (error < bestError) {
                best = fit;
                bestLambda = grid[i];
                bestError = error;
            }
        }
        if (best == null) {
            throw new IllegalStateException("No penalty gave a finite validation error: " + scores);
        }
        return new Choice(bestLambda, best, bestError, scores);
    }

    private static double[] grid(int fromExponent, int toExponent) {
        int steps = 2 * (toExponent - fromExponent);
        double[] out = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            out[i] = Math.pow(10, fromExponent + i / 2.0);
        }
        return out;
    }
}
