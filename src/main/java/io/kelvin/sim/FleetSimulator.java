package io.kelvin.sim;

import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated fleet, step by step: for each step, every building's two twins
 * ({@link PairedBuilding}) under the same weather, the KPIs of both, the report's traces, and the
 * readings of Kelvin's twins handed to a {@link ReadingSink}. Knows nothing of Kafka or wall
 * time: {@link SimulationLoop} paces it and keeps it in lockstep with the setpoints, which arrive
 * through {@link #offer}.
 *
 * <p>Deterministic: the same specs, timeline, seed and commands give the same traces, bit for bit.
 * Steps run on one thread; {@link #offer} may be called from any.
 */
public final class FleetSimulator {

    /**
     * The simulated period.
     *
     * @param start           first step
     * @param step            step length (the devices' reading interval)
     * @param steps           number of steps
     * @param evaluationStart KPIs count from here (before it, the learning period)
     */
    public record Timeline(Instant start, Duration step, int steps, Instant evaluationStart) {

        public Timeline {
            if (step.isZero() || step.isNegative() || steps < 1) {
                throw new IllegalArgumentException("a timeline needs a positive step and at least one step");
            }
            if (evaluationStart.isBefore(start) || !evaluationStart.isBefore(start.plus(step.multipliedBy(steps)))) {
                throw new IllegalArgumentException("the evaluation must start within the simulated period");
            }
        }

        public Instant end() {
            return start.plus(step.multipliedBy(steps));
        }

        public Instant timeOf(long k) {
            return start.plus(step.multipliedBy(k));
        }

        public double stepHours() {
            return step.toNanos() / 3.6e12;
        }
    }

    /** Slot length of the report's traces. */
    public static final Duration TRACE_SLOT = Duration.ofMinutes(10);

    private final Timeline timeline;
    private final List<PairedBuilding> buildings = new ArrayList<>();
    private final Map<String, PairedBuilding> byId = new LinkedHashMap<>();
    private final Map<Climate, WeatherSeries> weather = new EnumMap<>(Climate.class);
    private final List<KpiAccumulator> kelvinKpis = new ArrayList<>();
    private final List<KpiAccumulator> baselineKpis = new ArrayList<>();
    private final List<BuildingTrace> traces = new ArrayList<>();
    private int stepsDone;
    private long commandedSteps;
    private long scheduleSteps;

    /**
     * @param commandApplyDelay how long after its window's end a command reaches the equipment
     *                          (see {@link SimulatedBms})
     * @param weatherSeed       seed of the weather of every climate
     */
    public FleetSimulator(List<BuildingSpec> specs, Timeline timeline, Duration commandApplyDelay, long weatherSeed) {
        this.timeline = timeline;
        Instant end = timeline.end();
        int slots = (int) Math.ceil(Duration.between(timeline.start(), end).toMillis() / (double) TRACE_SLOT.toMillis());
        for (BuildingSpec spec : specs) {
            if (byId.containsKey(spec.id())) {
                throw new IllegalArgumentException("two buildings are called " + spec.id());
            }
            PairedBuilding b = new PairedBuilding(spec, timeline.step(), commandApplyDelay);
            buildings.add(b);
            byId.put(spec.id(), b);
            weather.computeIfAbsent(spec.climate(),
                    c -> new WeatherGenerator(c, weatherSeed).series(timeline.start(), timeline.step(), timeline.steps()));
            kelvinKpis.add(new KpiAccumulator(spec.floorAreaM2(), timeline.evaluationStart(), end));
            baselineKpis.add(new KpiAccumulator(spec.floorAreaM2(), timeline.evaluationStart(), end));
            traces.add(new BuildingTrace(timeline.start(), TRACE_SLOT, slots));
        }
    }

    public Timeline timeline() {
        return timeline;
    }

    public List<PairedBuilding> buildings() {
        return List.copyOf(buildings);
    }

    public List<String> buildingIds() {
        return List.copyOf(byId.keySet());
    }

    public WeatherSeries weather(Climate climate) {
        return weather.get(climate);
    }

    /** Hands a command to its building's BMS; {@code OTHER_BUILDING} when no simulated building has its id. */
    public SimulatedBms.Offer offer(SetpointCommand command) {
        PairedBuilding b = byId.get(command.getBuildingId());
        return b == null ? SimulatedBms.Offer.OTHER_BUILDING : b.bms().offer(command);
    }

    public int stepsDone() {
        return stepsDone;
    }

    /** Share of Kelvin-twin building-steps so far that ran on a Kelvin command. */
    public double commandedShare() {
        long all = commandedSteps + scheduleSteps;
        return all == 0 ? 0 : commandedSteps / (double) all;
    }

    /** Simulates the next step and publishes its readings to {@code sink}. */
    public void step(ReadingSink sink) {
        if (stepsDone >= timeline.steps()) {
            throw new IllegalStateException("the run is over: all " + timeline.steps() + " steps are done");
        }
        int k = stepsDone;
        Instant at = timeline.timeOf(k);
        double hours = timeline.stepHours();
        for (int i = 0; i < buildings.size(); i++) {
            PairedBuilding b = buildings.get(i);
            WeatherSeries w = weather.get(b.spec().climate());
            double outdoor = w.outdoorC(k);
            PairedBuilding.Step s = b.step(at, outdoor, w.globalHorizontalWm2(k));
            var profile = b.spec().profile();
            kelvinKpis.get(i).add(at, hours, s.kelvin().electricKw(), s.kelvin().airC(), s.kelvinCo2Ppm(), s.occupied(),
                    profile.getComfortMinC(), profile.getComfortMaxC(), profile.getCo2LimitPpm());
            baselineKpis.get(i).add(at, hours, s.baseline().electricKw(), s.baseline().airC(), s.baselineCo2Ppm(), s.occupied(),
                    profile.getComfortMinC(), profile.getComfortMaxC(), profile.getCo2LimitPpm());
            traces.get(i).add(at, hours, s, outdoor);
            if (s.kelvinSetpoints().commanded()) {
                commandedSteps++;
            } else {
                scheduleSteps++;
            }
            for (SensorReading r : b.readings(at, s, outdoor)) {
                sink.publish(r);
            }
        }
        stepsDone++;
    }

    /** The KPIs and traces of the steps done so far. */
    public SimulationResult result(SimulationResult.LockstepStats lockstep) {
        List<SimulationResult.BuildingResult> out = new ArrayList<>();
        long accepted = 0;
        long duplicates = 0;
        long stale = 0;
        long invalid = 0;
        long clamped = 0;
        for (int i = 0; i < buildings.size(); i++) {
            PairedBuilding b = buildings.get(i);
            out.add(new SimulationResult.BuildingResult(b.spec(), kelvinKpis.get(i).kpis(), baselineKpis.get(i).kpis(), traces.get(i)));
            SimulatedBms bms = b.bms();
            accepted += bms.accepted();
            duplicates += bms.duplicates();
            stale += bms.stale();
            invalid += bms.invalid();
            clamped += bms.clamped();
        }
        return new SimulationResult(timeline.start(), timeline.evaluationStart(), timeline.end(), timeline.timeOf(stepsDone), out,
                KpiAccumulator.fleet(kelvinKpis), KpiAccumulator.fleet(baselineKpis), lockstep,
                new SimulationResult.BmsStats(accepted, duplicates, stale, invalid, clamped, commandedSteps, scheduleSteps));
    }
}
