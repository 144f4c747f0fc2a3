package io.kelvin.optimizer;

import io.kelvin.schema.Metric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a decision context and one candidate setpoint into model input. The feature names are
 * the model contract (models/README.md): a model lists the names it wants, in its own order, and
 * Kelvin fills each row in that order. A feature whose metric the window lacks is NaN; the
 * optimizer falls back rather than feed NaN to a model.
 */
public final class FeatureBuilder {

    public static final List<String> KNOWN_FEATURES = List.of(
            "indoor_mean_c", "indoor_last_c", "outdoor_mean_c", "hvac_energy_kwh", "hvac_power_mean_kw",
            "occupancy_mean", "co2_mean_ppm", "humidity_mean_pct", "previous_setpoint_c",
            "candidate_setpoint_c", "setpoint_delta_k", "occupied_next", "hour_sin", "hour_cos",
            "dow_sin", "dow_cos", "floor_area_m2", "window_hours");

    private FeatureBuilder() {}

    /** Every known feature for {@code candidateC}, by name (what Feedback records carry). */
    public static Map<String, Double> all(DecisionContext ctx, double candidateC) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : KNOWN_FEATURES) {
            out.put(name, value(name, ctx, candidateC));
        }
        return out;
    }

    /**
     * Fills one row of the named features per candidate, {@code names.size()} floats each, from
     * {@code offset} on. A feature that does not depend on the candidate is worked out once and
     * copied into every row.
     */
    public static void fillRows(List<String> names, DecisionContext ctx, double[] candidatesC, float[] rows, int offset) {
        int width = names.size();
        for (int f = 0; f < width; f++) {
            String name = names.get(f);
            if (dependsOnCandidate(name)) {
                for (int i = 0; i < candidatesC.length; i++) {
                    rows[offset + i * width + f] = (float) value(name, ctx, candidatesC[i]);
                }
            } else {
                float shared = (float) value(name, ctx, Double.NaN);
                for (int i = 0; i < candidatesC.length; i++) {
                    rows[offset + i * width + f] = shared;
                }
            }
        }
    }

    /** Whether the named feature differs between the candidates of one decision. */
    static boolean dependsOnCandidate(String name) {
        return name.equals("candidate_setpoint_c") || name.equals("setpoint_delta_k");
    }

    public static double value(String name, DecisionContext ctx, double candidateC) {
        WindowSummary w = ctx.window();
        switch (name) {
            case "indoor_mean_c": return w.mean(Metric.ZONE_TEMPERATURE_C);
            case "indoor_last_c": return w.last(Metric.ZONE_TEMPERATURE_C);
            case "outdoor_mean_c": return w.mean(Metric.OUTDOOR_TEMPERATURE_C);
            case "hvac_energy_kwh": return w.energyKwh();
            case "hvac_power_mean_kw": return w.count(Metric.HVAC_POWER_KW) == 0 ? 0.0 : w.mean(Metric.HVAC_POWER_KW);
            case "occupancy_mean": return w.mean(Metric.OCCUPANCY_COUNT);
            case "co2_mean_ppm": return w.mean(Metric.CO2_PPM);
            case "humidity_mean_pct": return w.mean(Metric.RELATIVE_HUMIDITY_PCT);
            case "previous_setpoint_c": return ctx.anchorSetpointC();
            case "candidate_setpoint_c": return candidateC;
            case "setpoint_delta_k": return candidateC - ctx.anchorSetpointC();
            case "occupied_next": return ctx.occupiedNext() ? 1.0 : 0.0;
            case "hour_sin": return Math.sin(2 * Math.PI * ctx.localHourOfDay() / 24.0);
            case "hour_cos": return Math.cos(2 * Math.PI * ctx.localHourOfDay() / 24.0);
            case "dow_sin": return Math.sin(2 * Math.PI * (ctx.localDayOfWeek() - 1) / 7.0);
            case "dow_cos": return Math.cos(2 * Math.PI * (ctx.localDayOfWeek() - 1) / 7.0);
            case "floor_area_m2": return ctx.profile().getFloorAreaM2();
            case "window_hours": return ctx.windowHours();
            default: throw new IllegalArgumentException("Unknown feature '" + name + "'; known: " + KNOWN_FEATURES);
        }
    }
}
