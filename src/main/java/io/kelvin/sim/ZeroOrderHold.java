package io.kelvin.sim;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Exact zero-order-hold discretisation of a linear thermal RC network
 * {@code C dx/dt = -K x + G u}: with the inputs {@code u} held constant over a step of length
 * {@code h}, {@code x[k+1] = Ad x[k] + Bd u[k]} with {@code Ad = exp(A h)} and
 * {@code Bd = (integral of exp(A s) ds over [0, h]) B}, {@code A = -C^-1 K}, {@code B = C^-1 G}.
 *
 * <p>Exact for any step length (no forward-Euler error, no stability limit): ten one-minute steps
 * give the same state as one ten-minute step. An RC network's {@code A} is similar to the
 * symmetric matrix {@code S = -C^-1/2 K C^-1/2}, so the matrix exponential is computed from EJML's
 * symmetric eigendecomposition {@code S = Q diag(l) Q^T}: {@code exp(A h) = C^-1/2 Q diag(e^(l h))
 * Q^T C^1/2}, and the integral uses {@code (e^(l h) - 1) / l} per eigenvalue, which stays exact
 * when an eigenvalue is (near) zero.
 */
public final class ZeroOrderHold {

    private ZeroOrderHold() {}

    /**
     * Discretises {@code C dx/dt = -K x + G u}.
     *
     * @param capacitance diagonal of {@code C}, per node (kWh/K); all positive
     * @param conductance {@code K} (kW/K): symmetric; off-diagonal {@code -H} between two nodes,
     *                    diagonal the sum of a node's conductances including those to the outside
     * @param input       {@code G}, one row per node, one column per input
     * @param stepHours   step length {@code h}, hours
     * @throws IllegalArgumentException when the network is not symmetric, not stable (a node with
     *                                  no path to the outside) or the capacitances are not positive
     */
    public static Discretisation discretise(double[] capacitance, double[][] conductance, double[][] input, double stepHours) {
        int n = capacitance.length;
        if (conductance.length != n || input.length != n) {
            throw new IllegalArgumentException("capacitance, conductance and input must have one row per node (" + n + ")");
        }
        if (!(stepHours > 0) || !Double.isFinite(stepHours)) {
            throw new IllegalArgumentException("step must be positive and finite, was " + stepHours + " h");
        }
        int m = input[0].length;
        DMatrixRMaj s = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            if (!(capacitance[i] > 0) || !Double.isFinite(capacitance[i])) {
                throw new IllegalArgumentException("capacitance of node " + i + " must be positive, was " + capacitance[i]);
            }
            for (int j = 0; j < n; j++) {
                if (Math.abs(conductance[i][j] - conductance[j][i]) > 1e-12 * (1 + Math.abs(conductance[i][j]))) {
                    throw new IllegalArgumentException("conductance matrix is not symmetric at (" + i + ", " + j + ")");
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s.set(i, j, -conductance[i][j] / Math.sqrt(capacitance[i] * capacitance[j]));
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(s.copy())) {
            throw new IllegalArgumentException("eigendecomposition of the RC network failed");
        }
        DMatrixRMaj q = new DMatrixRMaj(n, n);
        DMatrixRMaj expDiag = new DMatrixRMaj(n, n);
        DMatrixRMaj intDiag = new DMatrixRMaj(n, n);
        for (int k = 0; k < n; k++) {
            double lambda = eig.getEigenvalue(k).getReal();
            if (!(lambda < 0)) {
                throw new IllegalArgumentException("the RC network is not stable (eigenvalue " + lambda
                        + " per hour): every node needs a path to the outside");
            }
            DMatrixRMaj v = eig.getEigenVector(k);
            double norm = Math.sqrt(CommonOps_DDRM.elementSum(elementSquare(v)));
            for (int r = 0; r < n; r++) {
                q.set(r, k, v.get(r) / norm);
            }
            double lh = lambda * stepHours;
            expDiag.set(k, k, Math.exp(lh));
            // (e^(l h) - 1) / l, via expm1 so tiny |l h| keep their precision.
            intDiag.set(k, k, Math.abs(lh) < 1e-12 ? stepHours : Math.expm1(lh) / lambda);
        }
        DMatrixRMaj e = sandwich(q, expDiag);
        DMatrixRMaj f = sandwich(q, intDiag);

        DMatrixRMaj cHalf = new DMatrixRMaj(n, n);
        DMatrixRMaj cMinusHalf = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            cHalf.set(i, i, Math.sqrt(capacitance[i]));
            cMinusHalf.set(i, i, 1 / Math.sqrt(capacitance[i]));
        }
        DMatrixRMaj ad = new DMatrixRMaj(n, n);
        DMatrixRMaj tmp = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(cMinusHalf, e, tmp);
        CommonOps_DDRM.mult(tmp, cHalf, ad);

        // Bd = C^-1/2 F C^1/2 * C^-1 G = C^-1/2 F C^-1/2 G
        DMatrixRMaj g = new DMatrixRMaj(input);
        if (g.numCols != m) {
            throw new IllegalArgumentException("every row of the input matrix must have " + m + " columns");
        }
        DMatrixRMaj bd = new DMatrixRMaj(n, m);
        CommonOps_DDRM.mult(cMinusHalf, f, tmp);
        DMatrixRMaj tmp2 = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(tmp, cMinusHalf, tmp2);
        CommonOps_DDRM.mult(tmp2, g, bd);
        return new Discretisation(toArray(ad), toArray(bd));
    }

    private static DMatrixRMaj elementSquare(DMatrixRMaj v) {
        DMatrixRMaj out = v.copy();
        CommonOps_DDRM.elementMult(out, v);
        return out;
    }

    /** {@code Q D Q^T}. */
    private static DMatrixRMaj sandwich(DMatrixRMaj q, DMatrixRMaj d) {
        int n = q.numRows;
        DMatrixRMaj qd = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(q, d, qd);
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransB(qd, q, out);
        return out;
    }

    private static double[][] toArray(DMatrixRMaj m) {
        double[][] out = new double[m.numRows][m.numCols];
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) {
                out[i][j] = m.get(i, j);
            }
        }
        return out;
    }

    /**
     * {@code x[k+1] = Ad x[k] + Bd u[k]}. Immutable; the arrays are never handed out.
     */
    public static final class Discretisation {
        private final double[][] ad;
        private final double[][] bd;

        Discretisation(double[][] ad, double[][] bd) {
            this.ad = ad;
            this.bd = bd;
        }

        public int states() {
            return ad.length;
        }

        public int inputs() {
            return bd[0].length;
        }

        /** {@code Ad[i][j]}. */
        public double ad(int i, int j) {
            return ad[i][j];
        }

        /** {@code Bd[i][j]}: the change of state {@code i} at the end of a step per unit of input {@code j}. */
        public double bd(int i, int j) {
            return bd[i][j];
        }

        /** Writes {@code Ad x + Bd u} into {@code out} (which may be {@code x}). */
        public void step(double[] x, double[] u, double[] out) {
            int n = ad.length;
            double[] next = new double[n];
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += ad[i][j] * x[j];
                }
                for (int j = 0; j < u.length; j++) {
                    sum += bd[i][j] * u[j];
                }
                next[i] = sum;
            }
            System.arraycopy(next, 0, out, 0, n);
        }
    }
}
