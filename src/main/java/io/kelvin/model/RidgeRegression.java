package io.kelvin.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Ridge regression on one design matrix: minimises {@code mean((y - b - Xw)^2) + lambda |w|^2}
 * with the intercept {@code b} unpenalised. The Gram matrix is formed once, so a search over
 * many penalties (and over several targets) costs one small {@code k x k} solve each. Columns
 * should be on comparable scales (see {@link Standardizer}) for one lambda to mean the same for
 * all of them.
 */
public final class RidgeRegression {
    private final DMatrixRMaj centered;
    private final DMatrixRMaj gram;
    private final double[] columnMeans;
    private final int rows;

    public RidgeRegression(double[][] design) {
        if (design.length == 0 || design[0].length == 0) {
            throw new IllegalArgumentException("Ridge regression needs at least one row and one column");
        }
        this.rows = design.length;
        int k = design[0].length;
        this.columnMeans = new double[k];
        for (double[] r : design) {
            for (int j = 0; j < k; j++) {
                columnMeans[j] += r[j] / rows;
            }
        }
        this.centered = new DMatrixRMaj(rows, k);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < k; j++) {
                centered.unsafe_set(i, j, design[i][j] - columnMeans[j]);
            }
        }
        this.gram = CommonOps_DDRM.multInner(centered, null);
        CommonOps_DDRM.scale(1.0 / rows, gram);
    }

    public int rows() {
        return rows;
    }

    /** The fit for targets {@code y} (one per design row) under penalty {@code lambda > 0}. */
    public LinearFit fit(double[] y, double lambda) {
        if (y.length != rows) {
            throw new IllegalArgumentException("Expected " + rows + " targets, got " + y.length);
        }
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be positive and finite, was " + lambda);
        }
        double yMean = 0;
        for (double v : y) {
            yMean += v / rows;
        }
        DMatrixRMaj yc = new DMatrixRMaj(rows, 1);
        for (int i = 0; i < rows; i++) {
            yc.unsafe_set(i, 0, y[i] - yMean);
        }
        int k = gram.numCols;
        DMatrixRMaj rhs = CommonOps_DDRM.multTransA(centered, yc, null);
        CommonOps_DDRM.scale(1.0 / rows, rhs);
        DMatrixRMaj system = gram.copy();
        for (int j = 0; j < k; j++) {
            system.unsafe_set(j, j, system.unsafe_get(j, j) + lambda);
        }
        DMatrixRMaj w = new DMatrixRMaj(k, 1);
        if (!CommonOps_DDRM.solveSPD(system, rhs, w)) {
            throw new IllegalStateException("Ridge system is not positive definite (non-finite inputs?) at lambda " + lambda);
        }
        double[] coefficients = w.getData().clone();
        double intercept = yMean;
        for (int j = 0; j < k; j++) {
            intercept -= coefficients[j] * columnMeans[j];
        }
        return new LinearFit(intercept, coefficients);
    }
}
