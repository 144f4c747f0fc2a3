package io.kelvin.demo;

import io.kelvin.inference.ModelContract;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.TrainingDecision;
import io.kelvin.schema.TrainingReport;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo's models did, day by simulated day: how far the serving models' predictions were
 * from what the buildings then did (from the optimizer's feedback records, so the same numbers as
 * {@code kelvin_prediction_error_*}), which kind of model served, and what the trainer decided that
 * day. Days are UTC dates of the decision (feedback) and of the training's stream time (reports).
 */
public final class ModelProgress {

    /** Which model served a decision, told by its version (see the trainer's version format). */
    public enum Served { BUNDLED, POOLED, OWN }

    private final Map<LocalDate, Day> days = new TreeMap<>();

    private static final class Day {
        long decisions;
        long fallback;
        double energyAbsSum;
        double indoorAbsSum;
        long indoorCount;
        final Map<Served, Long> served = new EnumMap<>(Served.class);
        long ownPromoted;
        long ownKept;
        long ownOther;
        boolean pooledPromoted;
        boolean pooledKept;
        boolean pooledTrained;
    }

    /** Counts one decision's outcome; a fallback decision has no prediction and is only counted. */
    public void add(Feedback f) {
        Day day = day(f.getDecidedAt().atZone(ZoneOffset.UTC).toLocalDate());
        if (f.getModelVersion() == null || f.getPredictedEnergyKwh() == null) {
            day.fallback++;
            return;
        }
        day.decisions++;
        day.served.merge(served(f.getModelVersion()), 1L, Long::sum);
        day.energyAbsSum += Math.abs(f.getObservedEnergyKwh() - f.getPredictedEnergyKwh());
        if (f.getPredictedIndoorC() != null && f.getObservedIndoorC() != null) {
            day.indoorAbsSum += Math.abs(f.getObservedIndoorC() - f.getPredictedIndoorC());
            day.indoorCount++;
        }
    }

    /** Counts one training by the day its stream time says it ran. */
    public void add(TrainingReport r) {
        Day day = day(r.getStartedAt().atZone(ZoneOffset.UTC).toLocalDate());
        if (ModelContract.GLOBAL_KEY.equals(r.getModelKey())) {
            day.pooledTrained = true;
            day.pooledPromoted |= r.getDecision() == TrainingDecision.PROMOTED;
            day.pooledKept |= r.getDecision() == TrainingDecision.KEPT_CHAMPION;
        } else if (r.getDecision() == TrainingDecision.PROMOTED) {
            day.ownPromoted++;
        } else if (r.getDecision() == TrainingDecision.KEPT_CHAMPION) {
            day.ownKept++;
        } else {
            day.ownOther++;
        }
    }

    public static Served served(String modelVersion) {
        if (modelVersion.contains("-" + ModelContract.GLOBAL_KEY + "-")) {
            return Served.POOLED;
        }
        return modelVersion.startsWith("bundled") ? Served.BUNDLED : Served.OWN;
    }

    /** Mean absolute energy error of {@code date}'s model decisions, kWh; NaN if none. */
    public double energyMae(LocalDate date) {
        Day d = days.get(date);
        return d == null || d.decisions == 0 ? Double.NaN : d.energyAbsSum / d.decisions;
    }

    /** Mean absolute indoor temperature error of {@code date}'s model decisions, K; NaN if none. */
    public double indoorMae(LocalDate date) {
        Day d = days.get(date);
        return d == null || d.indoorCount == 0 ? Double.NaN : d.indoorAbsSum / d.indoorCount;
    }

    public void print(PrintStream out) {
        out.println();
        out.println("Models by simulated day (UTC): prediction error of the serving models (mean absolute, from the feedback join),");
        out.println("which kind of model served, and what the trainer decided (building models promoted / kept / not trained; pooled model new, kept or none: not trained)");
        out.printf("%-10s  %9s  %14s  %12s  %26s  %s%n", "day", "decisions", "energy MAE kWh", "indoor MAE K",
                "served: bundled/pooled/own", "trainer: own +new/kept/none; pooled");
        for (Map.Entry<LocalDate, Day> e : days.entrySet()) {
            Day d = e.getValue();
            String served = String.format("%,d/%,d/%,d", d.served.getOrDefault(Served.BUNDLED, 0L),
                    d.served.getOrDefault(Served.POOLED, 0L), d.served.getOrDefault(Served.OWN, 0L));
            String trainer = d.ownPromoted + d.ownKept + d.ownOther == 0 && !d.pooledTrained ? "-"
                    : String.format("+%d/%d/%d; %s", d.ownPromoted, d.ownKept, d.ownOther,
                            d.pooledPromoted ? "new" : d.pooledKept ? "kept" : d.pooledTrained ? "none" : "-");
            out.printf("%-10s  %,9d  %14s  %12s  %26s  %s%n", e.getKey(), d.decisions + d.fallback,
                    format(energyMae(e.getKey()), 3), format(indoorMae(e.getKey()), 3), served, trainer);
        }
    }

    private static String format(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format("%." + decimals + "f", value);
    }

    private Day day(LocalDate date) {
        return days.computeIfAbsent(date, k -> new Day());
    }
}
