package io.kelvin.sim;

import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The KPI table printed at the end of a run: per building (the first {@code maxRows}) and for the
 * fleet, Kelvin against the baseline, and whether the target was met.
 */
public final class KpiTable {
    /** The benchmark target: at least this much less fleet energy than the baseline ... */
    public static final double TARGET_SAVING_PERCENT = 20;

    private KpiTable() {}

    public static void print(SimulationResult result, int maxRows, PrintStream out) {
        Duration evaluated = Duration.between(result.evaluationStart(), result.simulatedUntil());
        Duration learning = Duration.between(result.start(), result.evaluationStart());
        out.println();
        if (evaluated.isNegative() || evaluated.isZero()) {
            out.printf("No KPIs: the run stopped at %s, before the evaluated period began (%s).%n",
                    result.simulatedUntil().truncatedTo(ChronoUnit.MINUTES), result.evaluationStart());
            return;
        }
        out.printf(Locale.ROOT, "Control-quality KPIs, evaluated %s .. %s (%.1f days, after %.1f days of learning)%s, %d buildings%n",
                result.evaluationStart(), result.simulatedUntil().truncatedTo(ChronoUnit.MINUTES), evaluated.toMinutes() / 1440.0,
                learning.toMinutes() / 1440.0, result.complete() ? "" : " — STOPPED EARLY", result.buildings().size());
        out.println("                                  energy kWh                  kWh/m²         discomfort K·h     CO₂ > limit ppm·h     peak kW (15 min)");
        out.println("building       city           Kelvin   baseline  saving   Kelvin baseline   Kelvin  baseline    Kelvin  baseline   Kelvin  baseline");
        List<SimulationResult.BuildingResult> rows = result.buildings();
        for (int i = 0; i < Math.min(maxRows, rows.size()); i++) {
            SimulationResult.BuildingResult b = rows.get(i);
            line(out, b.spec().id(), b.spec().climate().city(), b.kelvin(), b.baseline());
        }
        if (rows.size() > maxRows) {
            out.printf("... %d more buildings in the report%n", rows.size() - maxRows);
        }
        line(out, "FLEET", rows.size() + " bldgs", result.fleetKelvin(), result.fleetBaseline());
        out.println(verdict(result));
    }

    private static void line(PrintStream out, String id, String city, ControlKpis k, ControlKpis b) {
        out.printf(Locale.ROOT, "%-14s %-10s %,11.0f %,10.0f %6.1f %%  %7.3f %7.3f  %7.1f %9.1f  %8.0f %9.0f  %7.1f %9.1f%n", id, city,
                k.energyKwh(), b.energyKwh(), k.energySavingPercent(b), k.energyKwhPerM2(), b.energyKwhPerM2(),
                k.discomfortKh(), b.discomfortKh(), k.co2ExcessPpmH(), b.co2ExcessPpmH(), k.peakKw(), b.peakKw());
    }

    /** One line: the fleet's saving and discomfort against the target, and the CO₂ above the limits. */
    public static String verdict(SimulationResult result) {
        ControlKpis k = result.fleetKelvin();
        ControlKpis b = result.fleetBaseline();
        double saving = k.energySavingPercent(b);
        boolean energyMet = saving >= TARGET_SAVING_PERCENT;
        boolean comfortMet = k.discomfortKh() <= b.discomfortKh();
        return String.format(Locale.ROOT,
                "Fleet: Kelvin used %.1f %% %s energy than the baseline (%,.0f vs %,.0f kWh); discomfort %,.2f vs %,.2f K·h (%.3f vs %.3f K·h per building);"
                        + " CO₂ above the limit %,.0f vs %,.0f ppm·h. Target (>= %.0f %% less energy, discomfort no higher): %s.",
                Math.abs(saving), saving >= 0 ? "less" : "more", k.energyKwh(), b.energyKwh(), k.discomfortKh(), b.discomfortKh(),
                k.discomfortKh() / result.buildings().size(), b.discomfortKh() / result.buildings().size(), k.co2ExcessPpmH(),
                b.co2ExcessPpmH(), TARGET_SAVING_PERCENT,
                energyMet && comfortMet ? "met" : "NOT met (" + (energyMet ? "" : "energy") + (energyMet || comfortMet ? "" : ", ")
                        + (comfortMet ? "" : "discomfort") + ")");
    }
}
