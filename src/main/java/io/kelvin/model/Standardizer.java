package io.kelvin.model;

import java.util.Arrays;

/**
 * Centres and scales each column to mean 0 and standard deviation 1 on the data it was fitted
 * to, so one ridge penalty treats kelvins, kWh per m2 and sine terms alike. A constant column
 * keeps scale 1: it standardises to 0 and so gets no weight.
 */
public record Standardizer(double[] mean, double[] scale) {

    public Standardizer {
        mean = mean.clone();
        scale = scale.clone();
    }

    public static Standardizer fit(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("Cannot standardise zero rows");
        }
        int k = rows[0].length;
        double[] mean = new double[k];
        double[] scale = new double[k];
        for (double[] r : rows) {
            for (int j = 0; j < k; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < k; j++) {
            mean[j] /= rows.length;
        }
        for (double[] r : rows) {
            for (int j = 0; j < k; j++) {
                double d = r[j] - mean[j];
                scale[j] += d * d;
            }
        }
        for (int j = 0; j < k; j++) {
            double sd = Math.sqrt(scale[j] / rows.length);
            scale[j] = sd > 1e-12 * Math.max(1.0, Math.abs(mean[j])) ? sd : 1.0;
        }
        return new Standardizer(mean, scale);
    }

    public double[] apply(double[] row) {
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - mean[j]) / scale[j];
        }
        return out;
    }

    public double[][] apply(double[][] rows) {
        return Arrays.stream(rows).map(this::apply).toArray(double[][]::new);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s && Arrays.equals(mean, s.mean) && Arrays.equals(scale, s.scale);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "Standardizer[mean=" + Arrays.toString(mean) + ", scale=" + Arrays.toString(scale) + "]";
    }
}
