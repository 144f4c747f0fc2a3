package io.kelvin.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.config.KelvinConfig;
import io.kelvin.optimizer.VentilationRule;
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
 * ({@link FleetGenerator}, {@link WeatherGenerator}, {@link BuildingTwin}, gains and start as in
 * {@link PairedBuilding}, seeded alike); each building runs one twin per {@link Rule} side by side:
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
 * Two of them also run with demand-controlled ventilation, Kelvin's {@link VentilationRule} fed
 * every 10 minutes with the twin's mean CO₂ over the last 10 minutes, as Kelvin's optimizer
 * feeds it with a window's mean: the baseline schedule with it (what the ventilation alone
 * saves) and the deepest set-back with it (what both rules save together).
 * A bench, not a timed test: it runs only when asked, for example
 * {@code mvn -Dtest=ReferenceRulesBenchTest -Dkelvin.reference.buildings=100 test} (also {@code
 * kelvin.reference.days}, {@code kelvin.reference.learning}, {@code kelvin.reference.seed} and
 * {@code kelvin.reference.start}; the defaults are the target benchmark's), and checks only that
 * each rule's energy by use adds up to its KPI energy.
 */
class ReferenceRulesBenchTest {
    private static final Duration STEP = Duration.ofMinutes(1);
    private static final double STEP_HOURS = STEP.toSeconds() / 3600.0;

    /** The setpoints a rule asks for at a step, given what the building's schedule would do. */
    private interface Setpoints {
        ZoneSetpoints at(BuildingSpec spec, boolean occupied, boolean occupiedMode, ZoneSetpoints scheduled);
    }

    private enum Rule {
        BASELINE("baseline schedule", false, Rule::schedule),
        BASELINE_DCV("baseline schedule + DCV", true, Rule::schedule),
        BAND_EDGE("band edge", false, Rule::bandEdgeThenSchedule),
        DEEPEST_SET_BACK("band edge, deepest set-back", false, Rule::bandEdgeThenDeepest),
        DEEPEST_SET_BACK_DCV("band edge, deepest set-back + DCV", true, Rule::bandEdgeThenDeepest),
        NO_WARM_UP("... and no warm-up (a bound)", false,
                (spec, occupied, occupiedMode, scheduled) -> occupied ? bandEdge(spec.profile()) : deepest(spec));

        final String title;
        final boolean demandControlledVentilation;
        final Setpoints setpoints;

        Rule(String title, boolean demandControlledVentilation, Setpoints setpoints) {
            this.title = title;
            this.demandControlledVentilation = demandControlledVentilation;
            this.setpoints = setpoints;
        }

        private static ZoneSetpoints schedule(BuildingSpec spec, boolean occupied, boolean occupiedMode, ZoneSetpoints scheduled) {
            return scheduled;
        }

        private static ZoneSetpoints bandEdgeThenSchedule(BuildingSpec spec, boolean occupied, boolean occupiedMode,
                                                          ZoneSetpoints scheduled) {
            return occupiedMode ? bandEdge(spec.profile()) : scheduled;
        }

        private static ZoneSetpoints bandEdgeThenDeepest(BuildingSpec spec, boolean occupied, boolean occupiedMode,
                                                         ZoneSetpoints scheduled) {
            return occupiedMode ? bandEdge(spec.profile()) : deepest(spec);
        }

        static ZoneSetpoints bandEdge(BuildingProfile p) {
            return new ZoneSetpoints(p.getComfortMinC() + 0.05, p.getComfortMaxC() - 0.05, p.getComfortMinC() + 0.05, true);
        }

        static ZoneSetpoints deepest(BuildingSpec spec) {
            double min = spec.profile().getMinSetpointC();
            return new ZoneSetpoints(min, Math.max(min, spec.bms().unoccupiedCoolingC()), min, true);
        }
    }

    /** A rule's fleet totals: its KPIs summed over buildings, and its electricity by use. */
    private static final class Tally {
        double energyKwh;
        double discomfortKh;
        double co2ExcessPpmH;
        double coldKh;
        double fansKwh;
        double heatingKwh;
        double coolingKwh;

        /** Electricity of an evaluated step by use: fans while ventilating, the rest by the plant's mode. */
        void split(BuildingTwin.Step step, HvacPlant plant) {
            double fansKw = plant.fanKw(step.airflowShare());
            fansKwh += fansKw * STEP_HOURS;
            if (step.hvacKw() > 0) {
                heatingKwh += (step.electricKw() - fansKw) * STEP_HOURS;
            } else {
                coolingKwh += (step.electricKw() - fansKw) * STEP_HOURS;
            }
        }

        void add(ControlKpis building) {
            energyKwh += building.energyKwh();
            discomfortKh += building.discomfortKh();
            co2ExcessPpmH += building.co2ExcessPpmH();
        }

        void print(String name, Tally baseline) {
            System.out.printf("  %-36s %,10.0f kWh (%4.1f %% less)  fans %,9.0f  heating %,9.0f  cooling %,7.0f  discomfort %.1f K·h"
                            + " (%.1f too cold)  CO₂ %,.0f ppm·h%n", name, energyKwh, 100 * (1 - energyKwh / baseline.energyKwh), fansKwh,
                    heatingKwh, coolingKwh, discomfortKh, coldKh, co2ExcessPpmH);
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
        Instant end = start.plus(Duration.ofDays(days));
        int steps = (int) Duration.ofDays(days).dividedBy(STEP);
        int decisionSteps = (int) Duration.ofMinutes(10).dividedBy(STEP);
        Rule[] rules = Rule.values();
        Map<String, Object> defaults = KelvinConfig.configDef().defaultValues();
        VentilationRule ventilation = new VentilationRule(true,
                Double.parseDouble(System.getProperty("kelvin.reference.co2.band", defaults.get(KelvinConfig.VENTILATION_CO2_BAND_PPM_CONFIG).toString())),
                Double.parseDouble(System.getProperty("kelvin.reference.co2.margin", defaults.get(KelvinConfig.VENTILATION_CO2_MARGIN_PPM_CONFIG).toString())));

        Map<Climate, WeatherSeries> weather = new EnumMap<>(Climate.class);
        Map<Rule, Tally> fleet = new EnumMap<>(Rule.class);
        for (Rule rule : rules) {
            fleet.put(rule, new Tally());
        }
        for (BuildingSpec spec : new FleetGenerator(seed).generate(buildings)) {
            WeatherSeries w = weather.computeIfAbsent(spec.climate(), c -> new WeatherGenerator(c, seed).series(start, STEP, steps));
            BuildingThermalModel model = new BuildingThermalModel(spec.thermal(), STEP);
            OccupancyCalendar calendar = new OccupancyCalendar(spec.profile().getOccupancy(), spec.zone());
            DefaultSchedule schedule = new DefaultSchedule(spec.profile(), calendar, spec.bms());
            BuildingProfile p = spec.profile();
            BuildingTwin[] twins = new BuildingTwin[rules.length];
            KpiAccumulator[] kpis = new KpiAccumulator[rules.length];
            double[] co2 = new double[rules.length];
            double[] co2Sum = new double[rules.length];
            double[] airflow = new double[rules.length];
            for (Rule rule : rules) {
                twins[rule.ordinal()] = new BuildingTwin(model, spec.plant(), PairedBuilding.initialC(spec));
                kpis[rule.ordinal()] = new KpiAccumulator(spec.floorAreaM2(), evaluated, end);
                co2[rule.ordinal()] = PairedBuilding.OUTDOOR_CO2_PPM;
                airflow[rule.ordinal()] = 1;
            }
            for (int i = 0; i < steps; i++) {
                Instant at = start.plus(STEP.multipliedBy(i));
                OccupancyCalendar.LocalMoment moment = calendar.at(at);
                OccupancyPeriod period = calendar.periodAt(moment);
                boolean occupied = period != null;
                int people = spec.occupants().peopleAt(moment, period);
                BuildingSpec.Gains gains = spec.gains(people, occupied, w.globalHorizontalWm2(i));
                boolean occupiedMode = schedule.occupiedMode(moment);
                ZoneSetpoints scheduled = schedule.at(moment);
                for (Rule rule : rules) {
                    int r = rule.ordinal();
                    if (rule.demandControlledVentilation && i % decisionSteps == 0 && i > 0) {
                        airflow[r] = SimulatedBms.airflowShare(p, ventilation.ventilationLps(p, co2Sum[r] / decisionSteps, true));
                        co2Sum[r] = 0;
                    }
                    BuildingTwin.Step step = twins[r].step(occupied, w.outdoorC(i), gains.airKw(), gains.massKw(),
                            rule.setpoints.at(spec, occupied, occupiedMode, scheduled).withAirflowShare(airflow[r]));
                    kpis[r].add(at, STEP_HOURS, step.electricKw(), step.airC(), co2[r], occupied, p.getComfortMinC(), p.getComfortMaxC(),
                            p.getCo2LimitPpm());
                    co2Sum[r] += co2[r];
                    co2[r] = PairedBuilding.co2After(spec, co2[r], people, step.airflowShare(), STEP.toSeconds());
                    if (!at.isBefore(evaluated)) {
                        fleet.get(rule).split(step, spec.plant());
                        if (occupied) {
                            fleet.get(rule).coldKh += Math.max(0, p.getComfortMinC() - step.airC()) * STEP_HOURS;
                        }
                    }
                }
            }
            for (Rule rule : rules) {
                fleet.get(rule).add(kpis[rule.ordinal()].kpis());
            }
        }
        System.out.printf("Reference rules: %d buildings, seed %d, %d days from %s, evaluated from %s%n", buildings, seed, days, start, evaluated);
        Tally baseline = fleet.get(Rule.BASELINE);
        for (Rule rule : rules) {
            fleet.get(rule).print(rule.title, baseline);
        }
        for (Tally t : fleet.values()) {
            assertThat(t.fansKwh + t.heatingKwh + t.coolingKwh).isCloseTo(t.energyKwh, within(1e-6 * t.energyKwh));
        }
    }
}
