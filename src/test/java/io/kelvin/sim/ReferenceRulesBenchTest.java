package io.kelvin.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.OccupancyPeriod;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What fixed rules without any model would save on the demo's fleet, as a yardstick for Kelvin's
 * savings, and where the baseline's energy goes. The fleet, weather and physics are the demo's
 * ({@link FleetGenerator}, {@link WeatherGenerator}, {@link BuildingTwin}, seeded alike); each
 * building runs four twins side by side:
 * <ul>
 *   <li>the baseline schedule ({@link DefaultSchedule}), as in the demo;</li>
 *   <li><b>band edge</b>: whenever the BMS is in occupied mode (the schedule's warm-up included),
 *       heat below the comfort minimum + 0.05 K and cool above the maximum − 0.05 K; the
 *       schedule's set-back otherwise;</li>
 *   <li><b>band edge, deepest set-back</b>: the same, with the set-back at the lowest setpoint the
 *       profile allows Kelvin to command;</li>
 *   <li><b>… and no warm-up</b>: the same, in comfort mode only while occupied. Not a rule to
 *       run (the mornings start cold) but a bound: no choice of warm-up start saves more than
 *       dropping the warm-up altogether.</li>
 * </ul>
 * A bench, not a timed test: it runs only when asked, for example
 * {@code mvn -Dtest=ReferenceRulesBenchTest -Dkelvin.reference.buildings=100 test} (also {@code
 * kelvin.reference.days}, {@code kelvin.reference.learning}, {@code kelvin.reference.seed} and
 * {@code kelvin.reference.start}; the defaults are the target benchmark's), and checks only that
 * each twin's energy adds up from fans, heating and cooling.
 */
class ReferenceRulesBenchTest {
    private static final Duration STEP = Duration.ofMinutes(1);

    /** Electric kWh by use, and discomfort, over the evaluated days. */
    private static final class Tally {
        double totalKwh;
        double fansKwh;
        double heatingKwh;
        double coolingKwh;
        double discomfortKh;

        void add(BuildingTwin.Step step, HvacPlant plant, boolean occupied, BuildingProfile profile) {
            double hours = STEP.toSeconds() / 3600.0;
            double fansKw = occupied ? plant.fanPowerKw() : 0;
            totalKwh += step.electricKw() * hours;
            fansKwh += fansKw * hours;
            if (step.hvacKw() > 0) {
                heatingKwh += (step.electricKw() - fansKw) * hours;
            } else {
                coolingKwh += (step.electricKw() - fansKw) * hours;
            }
            if (occupied) {
                discomfortKh += Math.max(0, Math.max(profile.getComfortMinC() - step.airC(), step.airC() - profile.getComfortMaxC())) * hours;
            }
        }

        void print(String name, Tally baseline) {
            System.out.printf("  %-30s %,10.0f kWh (%4.1f %% less)  fans %,9.0f  heating %,9.0f  cooling %,7.0f  discomfort %.1f K·h%n",
                    name, totalKwh, 100 * (1 - totalKwh / baseline.totalKwh), fansKwh, heatingKwh, coolingKwh, discomfortKh);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "kelvin.reference.buildings", matches = "\\d+")
    void savingsOfFixedRules() {
        int buildings = Integer.getInteger("kelvin.reference.buildings");
        int days = Integer.getInteger("kelvin.reference.days", 21);
        int learning = Integer.getInteger("kelvin.reference.learning", 7);
        long seed = Long.getLong("kelvin.reference.seed", 42);
        Instant start = Instant.parse(System.getProperty("kelvin.reference.start", "2026-11-02T00:00:00Z"));
        Instant evaluated = start.plus(Duration.ofDays(learning));
        int steps = (int) Duration.ofDays(days).dividedBy(STEP);

        List<BuildingSpec> specs = new FleetGenerator(seed).generate(buildings);
        Map<Climate, WeatherSeries> weather = new EnumMap<>(Climate.class);
        Tally baseline = new Tally();
        Tally bandEdge = new Tally();
        Tally deepSetback = new Tally();
        Tally noWarmUp = new Tally();
        for (BuildingSpec spec : specs) {
            WeatherSeries w = weather.computeIfAbsent(spec.climate(), c -> new WeatherGenerator(c, seed).series(start, STEP, steps));
            BuildingThermalModel model = new BuildingThermalModel(spec.thermal(), STEP);
            OccupancyCalendar calendar = new OccupancyCalendar(spec.profile().getOccupancy(), spec.zone());
            DefaultSchedule schedule = new DefaultSchedule(spec.profile(), calendar, spec.bms());
            BuildingProfile p = spec.profile();
            double initialC = p.getOccupiedSetpointC() - 1; // as PairedBuilding starts its twins
            BuildingTwin base = new BuildingTwin(model, spec.plant(), initialC);
            BuildingTwin edge = new BuildingTwin(model, spec.plant(), initialC);
            BuildingTwin deep = new BuildingTwin(model, spec.plant(), initialC);
            BuildingTwin cold = new BuildingTwin(model, spec.plant(), initialC);
            ZoneSetpoints atBandEdge = new ZoneSetpoints(p.getComfortMinC() + 0.05, p.getComfortMaxC() - 0.05, p.getComfortMinC() + 0.05, true);
            ZoneSetpoints deepest = new ZoneSetpoints(p.getMinSetpointC(), Math.max(p.getMinSetpointC(), spec.bms().unoccupiedCoolingC()),
                    p.getMinSetpointC(), true);
            for (int i = 0; i < steps; i++) {
                Instant at = start.plus(STEP.multipliedBy(i));
                OccupancyCalendar.LocalMoment moment = calendar.at(at);
                OccupancyPeriod period = calendar.periodAt(moment);
                boolean occupied = period != null;
                // Gains as PairedBuilding computes them.
                double internal = spec.occupants().gainsKw(spec.occupants().peopleAt(moment, period), occupied, spec.floorAreaM2());
                double solar = spec.solarApertureM2() * w.globalHorizontalWm2(i) / 1000;
                double gainsAir = BuildingSpec.INTERNAL_GAINS_TO_AIR * internal;
                double gainsMass = (1 - BuildingSpec.INTERNAL_GAINS_TO_AIR) * internal + solar;
                boolean occupiedMode = schedule.occupiedMode(moment);
                ZoneSetpoints scheduled = schedule.at(moment);
                BuildingTwin.Step b = base.step(occupied, w.outdoorC(i), gainsAir, gainsMass, scheduled);
                BuildingTwin.Step e = edge.step(occupied, w.outdoorC(i), gainsAir, gainsMass, occupiedMode ? atBandEdge : scheduled);
                BuildingTwin.Step d = deep.step(occupied, w.outdoorC(i), gainsAir, gainsMass, occupiedMode ? atBandEdge : deepest);
                BuildingTwin.Step c = cold.step(occupied, w.outdoorC(i), gainsAir, gainsMass, occupied ? atBandEdge : deepest);
                if (!at.isBefore(evaluated)) {
                    baseline.add(b, spec.plant(), occupied, p);
                    bandEdge.add(e, spec.plant(), occupied, p);
                    deepSetback.add(d, spec.plant(), occupied, p);
                    noWarmUp.add(c, spec.plant(), occupied, p);
                }
            }
        }
        System.out.printf("Reference rules: %d buildings, seed %d, %d days from %s, evaluated from %s%n", buildings, seed, days, start, evaluated);
        baseline.print("baseline schedule", baseline);
        bandEdge.print("band edge", baseline);
        deepSetback.print("band edge, deepest set-back", baseline);
        noWarmUp.print("... and no warm-up (a bound)", baseline);
        for (Tally t : List.of(baseline, bandEdge, deepSetback, noWarmUp)) {
            assertThat(t.fansKwh + t.heatingKwh + t.coolingKwh).isCloseTo(t.totalKwh, within(1e-6 * t.totalKwh));
        }
    }
}
