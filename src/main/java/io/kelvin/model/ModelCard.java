package io.kelvin.model;

import io.kelvin.inference.ModelContract;
import io.kelvin.schema.BuildingProfile;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The model card of a bundled model, in Markdown: where its data came from, what it reads, how
 * it was chosen, how wrong it is on days it never saw, and what it is not good for. Generated
 * with the model, so the figures are the model's own; deterministic for the same bundle.
 */
public final class ModelCard {
    /** The example the card tabulates: a mid-sized office on a cold, occupied morning. */
    static final double EXAMPLE_AREA_M2 = 3_000;
    static final double EXAMPLE_OUTDOOR_C = 0;
    static final double EXAMPLE_INDOOR_C = 20.5;
    static final double EXAMPLE_PREVIOUS_SETPOINT_C = 21;
    static final double[] EXAMPLE_CANDIDATES_C = {20.5, 21.0, 21.5};

    private final StringBuilder out = new StringBuilder();

    private ModelCard() {}

    public static String render(BundledModelBuilder.Bundle bundle, String regenerateCommand) {
        return new ModelCard().write(bundle, regenerateCommand);
    }

    private String write(BundledModelBuilder.Bundle b, String regenerateCommand) {
        ThermalModel model = b.model();
        ModelMetadata meta = b.metadata();
        DesignComparison cmp = b.comparison();
        BundledModelBuilder.Options o = b.options();
        TimeSplit split = b.split();

        line("# Kelvin bundled cold-start model");
        line("");
        line("`models/bundled.onnx`, packaged in the jar as `kelvin/models/bundled.onnx`. Kelvin ranks a building's candidate");
        line("setpoints with it until a model of the building's own or a pooled global model is published (lookup order:");
        line("building, global, bundled, fallback rule). Generated together with the model by `kelvin model bundle`; do not edit.");
        line("");
        line("| | |");
        line("|---|---|");
        line("| version | `%s` |", meta.version());
        line("| model key | `%s` |", meta.modelKey());
        line("| producer | `%s` |", meta.producer());
        line("| method | `%s` |", model.design().method());
        line("| trained at | %s (the end of the simulated period, not the wall clock) |", meta.trainedAt());
        line("| training rows | %,d (training and validation days) |", meta.trainingRows());
        line("| held-out MAE | %.4f kWh energy, %.4f °C indoor |", meta.holdoutMaeEnergyKwh(), meta.holdoutMaeIndoorC());
        line("| file | ONNX IR %d, opset %d, %,d bytes; input `%s` float32 [N, %d], output `%s` float32 [N, %d] |",
                OnnxExporter.IR_VERSION, OnnxExporter.OPSET, b.exported().onnx().length, ModelContract.INPUT,
                model.inputs().size(), ModelContract.OUTPUT, ModelContract.OUTPUT_WIDTH);
        line("");

        line("## Inputs");
        line("");
        line("`%s`, in this column order:", ModelContract.META_FEATURE_NAMES);
        line("`%s`. Kelvin fills them with `FeatureBuilder`, exactly as it fills `Feedback.features`; the", String.join(",", model.inputs()));
        line("engineered terms below are computed inside the ONNX graph. Output columns: HVAC energy of the next 10-minute window");
        line("(kWh), mean indoor temperature of the next window (°C).");
        line("");

        line("## Data");
        line("");
        List<BuildingProfile> profiles = b.fleet().profiles();
        DoubleSummaryStatistics area = profiles.stream().mapToDouble(BuildingProfile::getFloorAreaM2).summaryStatistics();
        List<TrainingRow> rows = b.fleet().rows();
        line("- Simulator: %s.", SimulatedFleetData.SIMULATOR);
        line("- Fleet: %d buildings in %s, floor area %,.0f to %,.0f m², occupied on weekdays by their profiles' schedules,",
                profiles.size(), distinct(profiles, BuildingProfile::getTimeZone), area.getMin(), area.getMax());
        line("  comfort band %s, setpoint limits %s, schedule %s.",
                distinct(profiles, p -> fmt("%.1f-%.1f °C", p.getComfortMinC(), p.getComfortMaxC())),
                distinct(profiles, p -> fmt("%.0f-%.0f °C", p.getMinSetpointC(), p.getMaxSetpointC())),
                distinct(profiles, p -> fmt("%.1f °C occupied / %.1f °C unoccupied", p.getOccupiedSetpointC(), p.getUnoccupiedSetpointC())));
        line("- Weather: %s.", SimulatedFleetData.WEATHER);
        line("- Simulated time: %d days from %s (seed %d); readings every minute; the first %d hours are warm-up and unused.",
                o.days(), b.fleet().start(), o.seed(), SimulatedFleetData.WARM_UP.toHours());
        line("- Setpoints: explored around each building's schedule: an offset of up to ±%.0f K (none in %.0f %% of holds) held",
                SetpointExploration.MAX_OFFSET_K, 100 * SetpointExploration.FOLLOW_SCHEDULE_SHARE);
        line("  for 1 to %d windows with ±%.1f K jitter, every command through Kelvin's `SafetyRules` (profile limits, at most",
                SetpointExploration.MAX_HOLD_WINDOWS, SetpointExploration.JITTER_K);
        line("  %.1f K per 10-minute step), so the data shows what moving the setpoint does.", SimulatedFleetData.MAX_CHANGE_K);
        line("- Rows: readings folded into 10-minute windows by the optimizer's `WindowAggregator`, features by");
        line("  `FeatureBuilder.all` of a `DecisionContext` built as the optimizer builds it, targets the next window's energy");
        line("  (`WindowSummary.energyKwh`) and mean zone temperature: rows that mean what `Feedback` records mean.");
        line("- Split by time: %,d rows; training %,d (first %d days), validation %,d (next %d days), held out %,d (last %d days).",
                rows.size(), split.train().size(), o.days() - o.validationDays() - o.holdoutDays(), split.validation().size(),
                o.validationDays(), split.holdout().size(), o.holdoutDays());
        line("- Ranges seen: outdoor %s °C, indoor %s °C, setpoints %s °C, energy per window %s kWh (mean %.3f).",
                range(rows, r -> r.feature("outdoor_mean_c")), range(rows, r -> r.feature("indoor_last_c")),
                range(rows, r -> r.feature("candidate_setpoint_c")), range(rows, TrainingRow::energyKwh),
                rows.stream().mapToDouble(TrainingRow::energyKwh).average().orElse(Double.NaN));
        line("");

        line("## Method");
        line("");
        line("Ridge regression on engineered thermal terms, one linear predictor per target over the same standardised terms");
        line("(mean 0, standard deviation 1 on the fitted rows):");
        line("");
        line("- energy is learnt per m² of floor area and scaled back, clipped at 0: `max(0, floor_area_m2 * energy_per_m2)`,");
        line("  so one pooled model serves buildings of any size;");
        line("- indoor temperature is learnt as the change from the last reading: `indoor_last_c + indoor_change`, so the penalty");
        line("  shrinks towards \"the room stays as it is\".");
        line("");
        line("The penalty λ of each target is chosen by mean absolute error on the validation days from a half-decade grid");
        line("(1e-6 to 1e2, on standardised terms, per row); the model is then refitted on training and validation days.");
        line("Chosen: λ = %s for energy, %s for indoor.", num(model.energyLambda()), num(model.indoorLambda()));
        if (Math.min(model.energyLambda(), model.indoorLambda()) <= LambdaSearch.DEFAULT_GRID[0]) {
            line("A λ at the grid's low end means validation preferred (almost) no shrinkage: with %,d rows for %d terms the",
                    meta.trainingRows(), model.design().terms().size());
            line("pooled fit needs little; the penalty matters for per-building models trained on a few days of feedback.");
        }
        line("");
        line("Terms of `%s`, with their weights on the standardised terms:", model.design().name());
        line("");
        line("| # | term | energy weight (kWh/m² per sd) | indoor weight (K per sd) |");
        line("|---|---|---|---|");
        double[] we = model.energyPerM2().coefficients();
        double[] wi = model.indoorChange().coefficients();
        List<Term> terms = model.design().terms();
        for (int j = 0; j < terms.size(); j++) {
            line("| %d | `%s` | %s | %s |", j + 1, terms.get(j).label(), num(we[j]), num(wi[j]));
        }
        line("| | intercept | %s | %s |", num(model.energyPerM2().intercept()), num(model.indoorChange().intercept()));
        line("");

        line("## Comparison");
        line("");
        line("Every candidate design was fitted to the training days with its penalties chosen on the validation days and");
        line("scored on validation by the sum of its two MAEs relative to persistence's (below 2 beats persistence). The lowest");
        line("score was kept. Held-out errors are of each design's final model and played no part in the choice.");
        line("");
        line("| design | terms | λ energy | λ indoor | validation MAE energy (kWh) | validation MAE indoor (°C) | score | held-out MAE energy (kWh) | held-out MAE indoor (°C) |");
        line("|---|---|---|---|---|---|---|---|---|");
        for (DesignComparison.Candidate c : cmp.candidates()) {
            FittedModel f = c.fitted();
            line("| %s`%s`%s | %d | %s | %s | %.4f | %.4f | %.3f | %.4f | %.4f |", c == cmp.chosen() ? "**" : "", c.design().method(),
                    c == cmp.chosen() ? "** (kept)" : "", c.design().terms().size(), num(f.model().energyLambda()),
                    num(f.model().indoorLambda()), f.validation().maeEnergyKwh(), f.validation().maeIndoorC(), c.validationScore(),
                    c.holdout().maeEnergyKwh(), c.holdout().maeIndoorC());
        }
        line("| persistence | | | | %.4f | %.4f | 2.000 | %.4f | %.4f |", cmp.persistenceValidation().maeEnergyKwh(),
                cmp.persistenceValidation().maeIndoorC(), cmp.persistenceHoldout().maeEnergyKwh(), cmp.persistenceHoldout().maeIndoorC());
        line("");

        line("## Error on held-out data");
        line("");
        ModelErrors held = cmp.chosen().holdout();
        ModelErrors naive = cmp.persistenceHoldout();
        double meanEnergy = split.holdout().stream().mapToDouble(TrainingRow::energyKwh).average().orElse(Double.NaN);
        line("The last %d simulated days (%,d rows), never used for fitting or choosing:", o.holdoutDays(), held.rows());
        line("");
        line("| predictor | MAE energy (kWh) | MAE indoor (°C) |");
        line("|---|---|---|");
        line("| this model | %.4f | %.4f |", held.maeEnergyKwh(), held.maeIndoorC());
        line("| persistence (the next window repeats this one: its energy, the last indoor reading) | %.4f | %.4f |",
                naive.maeEnergyKwh(), naive.maeIndoorC());
        line("");
        line("Mean energy per window on these days: %.3f kWh, so the energy MAE is %.1f %% of it (persistence: %.1f %%).",
                meanEnergy, 100 * held.maeEnergyKwh() / meanEnergy, 100 * naive.maeEnergyKwh() / meanEnergy);
        line("");

        line("## ONNX Runtime check");
        line("");
        OnnxRoundTrip.Result check = b.exported().check();
        line("Before it was written, the exported file was loaded by ONNX Runtime and predicted all %,d rows; the largest", check.rows());
        line("difference from the Java model was %s kWh (energy) and %s °C (indoor), within the allowed %s + %s × |value|.",
                num(check.maxAbsDifferenceEnergyKwh()), num(check.maxAbsDifferenceIndoorC()),
                num(OnnxRoundTrip.ABSOLUTE_TOLERANCE), num(OnnxRoundTrip.RELATIVE_TOLERANCE));
        line("");

        line("## Example");
        line("");
        line("A %,.0f m² office, outdoor %.0f °C, indoor %.1f °C, setpoint in force %.1f °C, occupied, Tuesday 10:00 local,",
                EXAMPLE_AREA_M2, EXAMPLE_OUTDOOR_C, EXAMPLE_INDOOR_C, EXAMPLE_PREVIOUS_SETPOINT_C);
        line("last window 1.0 kWh and 150 people:");
        line("");
        line("| candidate setpoint (°C) | energy next window (kWh) | indoor next window (°C) |");
        line("|---|---|---|");
        for (double c : EXAMPLE_CANDIDATES_C) {
            Prediction p = model.predict(exampleRow(c));
            line("| %.1f | %.3f | %.2f |", c, p.energyKwh(), p.indoorC());
        }
        line("");

        line("## Limits");
        line("");
        line("- Trained on simulated buildings only (the demo's single-zone 1R1C model), never on a real one. It is a cold start:");
        line("  per-building and global models trained from feedback should replace it as soon as they exist.");
        line("- Heating only, winter weather: it knows nothing of cooling. In warm weather it predicts little or no energy");
        line("  whatever the setpoint; do not use it for cooling-dominated buildings or seasons.");
        line("- Outside the ranges above (outdoor temperature, setpoints, floor area, 10-minute windows) it extrapolates");
        line("  linearly. The heat pump's capacity limit is not modelled explicitly.");
        line("- Pooled across buildings: it knows a building's envelope and heat pump only through the energy the building just");
        line("  used, so its error for one building can be well above the fleet-wide figures in this card.");
        line("- No humidity, CO2, solar gains, ventilation or multi-zone effects; occupancy only as a head count and a schedule.");
        line("- Time-of-day terms assume the fleet's pattern (offices, weekdays, UTC in simulation).");
        line("");

        line("## Regenerate");
        line("");
        line("```");
        line("%s", regenerateCommand);
        line("```");
        line("");
        line("The same options give a byte-identical model file and this same card.");
        return out.toString();
    }

    /** One row of the card's example, all contract features by name, as FeatureBuilder would fill them. */
    static Map<String, Double> exampleRow(double candidateC) {
        Map<String, Double> f = new LinkedHashMap<>();
        double hour = 10;
        int isoDay = 2;
        f.put("indoor_mean_c", EXAMPLE_INDOOR_C);
        f.put("indoor_last_c", EXAMPLE_INDOOR_C);
        f.put("outdoor_mean_c", EXAMPLE_OUTDOOR_C);
        f.put("hvac_energy_kwh", 1.0);
        f.put("hvac_power_mean_kw", 6.0);
        f.put("occupancy_mean", 150.0);
        f.put("previous_setpoint_c", EXAMPLE_PREVIOUS_SETPOINT_C);
        f.put("candidate_setpoint_c", candidateC);
        f.put("setpoint_delta_k", candidateC - EXAMPLE_PREVIOUS_SETPOINT_C);
        f.put("occupied_next", 1.0);
        f.put("hour_sin", Math.sin(2 * Math.PI * hour / 24));
        f.put("hour_cos", Math.cos(2 * Math.PI * hour / 24));
        f.put("dow_sin", Math.sin(2 * Math.PI * (isoDay - 1) / 7.0));
        f.put("dow_cos", Math.cos(2 * Math.PI * (isoDay - 1) / 7.0));
        f.put("floor_area_m2", EXAMPLE_AREA_M2);
        f.put("window_hours", 1.0 / 6);
        return f;
    }

    /** The distinct values of a profile property across the fleet, sorted, comma-separated. */
    private static String distinct(List<BuildingProfile> profiles, Function<BuildingProfile, String> property) {
        return profiles.stream().map(property).distinct().sorted().collect(Collectors.joining(", "));
    }

    private static String range(List<TrainingRow> rows, ToDoubleFunction<TrainingRow> value) {
        DoubleSummaryStatistics s = rows.stream().mapToDouble(value).summaryStatistics();
        return fmt("%.1f to %.1f", s.getMin(), s.getMax());
    }

    private static String num(double v) {
        return fmt("%.4g", v);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private void line(String format, Object... args) {
        out.append(args.length == 0 ? format : fmt(format, args)).append('\n');
    }
}
