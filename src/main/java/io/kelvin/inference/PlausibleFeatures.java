package io.kelvin.inference;

import io.kelvin.optimizer.FeatureBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small static table of realistic feature rows for every name in {@link
 * FeatureBuilder#KNOWN_FEATURES}: four situations a commercial building meets (a winter night,
 * a winter warm-up, a summer afternoon, a mild weekend midday), with values in the units the
 * feature builder produces. A model that predicts NaN for one of them would fail in production,
 * so these rows are what a new model is probed with before it serves; the benchmark feeds them too.
 */
public final class PlausibleFeatures {

    private static final double HOURS_10_MIN = 10.0 / 60.0;
    private static final String[] NAMES = {"winter night", "winter warm-up", "summer afternoon", "mild weekend midday"};
    /** Local hour of day and ISO day of week (1 = Monday) of each situation. */
    private static final double[] HOUR = {3.0, 7.5, 15.0, 12.0 + 10.0 / 60.0};
    private static final int[] DAY_OF_WEEK = {2, 1, 4, 6};

    private static final Map<String, double[]> TABLE = new LinkedHashMap<>();

    static {
        //                                   winter night  warm-up  summer pm  mild weekend
        put("indoor_mean_c",                 17.5,         19.5,    24.2,      21.8);
        put("indoor_last_c",                 17.3,         20.1,    24.4,      21.9);
        put("outdoor_mean_c",                -8.0,         -2.0,    33.0,      14.0);
        put("hvac_energy_kwh",               6.0,          9.0,     7.5,       0.8);
        put("hvac_power_mean_kw",            36.0,         54.0,    45.0,      4.8);
        put("occupancy_mean",                0.0,          25.0,    180.0,     60.0);
        put("co2_mean_ppm",                  420.0,        560.0,   900.0,     650.0);
        put("humidity_mean_pct",             30.0,         35.0,    55.0,      45.0);
        put("previous_setpoint_c",           17.0,         20.5,    24.0,      22.0);
        put("candidate_setpoint_c",          17.5,         21.0,    23.5,      22.0);
        put("occupied_next",                 0.0,          1.0,     1.0,       1.0);
        put("floor_area_m2",                 5200.0,       5200.0,  12000.0,   800.0);
        put("window_hours",                  HOURS_10_MIN, HOURS_10_MIN, HOURS_10_MIN, HOURS_10_MIN);
        // Derived exactly as FeatureBuilder derives them, so the rows are self-consistent.
        double[] delta = new double[HOUR.length];
        double[] hourSin = new double[HOUR.length];
        double[] hourCos = new double[HOUR.length];
        double[] dowSin = new double[HOUR.length];
        double[] dowCos = new double[HOUR.length];
        for (int i = 0; i < HOUR.length; i++) {
            delta[i] = TABLE.get("candidate_setpoint_c")[i] - TABLE.get("previous_setpoint_c")[i];
            hourSin[i] = Math.sin(2 * Math.PI * HOUR[i] / 24.0);
            hourCos[i] = Math.cos(2 * Math.PI * HOUR[i] / 24.0);
            dowSin[i] = Math.sin(2 * Math.PI * (DAY_OF_WEEK[i] - 1) / 7.0);
            dowCos[i] = Math.cos(2 * Math.PI * (DAY_OF_WEEK[i] - 1) / 7.0);
        }
        put("setpoint_delta_k", delta);
        put("hour_sin", hourSin);
        put("hour_cos", hourCos);
        put("dow_sin", dowSin);
        put("dow_cos", dowCos);
    }

    private PlausibleFeatures() {}

    private static void put(String name, double... values) {
        TABLE.put(name, values);
    }

    /** How many distinct situations the table holds; row {@code i} is situation {@code i % situations()}. */
    public static int situations() {
        return HOUR.length;
    }

    /** The value of {@code feature} in situation {@code situation}. */
    public static double value(String feature, int situation) {
        double[] values = TABLE.get(feature);
        if (values == null) {
            throw new IllegalArgumentException("No plausible value for feature '" + feature + "'; known: " + TABLE.keySet());
        }
        return values[situation];
    }

    /** One row of the named features in situation {@code situation}. */
    public static float[] row(List<String> names, int situation) {
        float[] row = new float[names.size()];
        for (int c = 0; c < row.length; c++) {
            row[c] = (float) value(names.get(c), situation);
        }
        return row;
    }

    /** The situation's name, for messages. */
    public static String situationName(int situation) {
        return NAMES[situation];
    }

    /** {@code rows} row-major rows of the named features, cycling through the situations. */
    public static float[] rows(List<String> names, int rows) {
        int width = names.size();
        float[][] situationRows = new float[situations()][];
        for (int s = 0; s < situations(); s++) {
            situationRows[s] = row(names, s);
        }
        float[] out = new float[Math.multiplyExact(rows, width)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(situationRows[r % situations()], 0, out, r * width, width);
        }
        return out;
    }
}
