package io.kelvin.model;

import io.kelvin.optimizer.DecisionContext;
import io.kelvin.optimizer.FeatureBuilder;
import io.kelvin.optimizer.OccupancySchedule;
import io.kelvin.optimizer.SafetyRules;
import io.kelvin.optimizer.SetpointOptimizer;
import io.kelvin.optimizer.WindowAggregator;
import io.kelvin.optimizer.WindowSummary;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import io.kelvin.sim.BuildingSpec;
import io.kelvin.sim.FleetGenerator;
import io.kelvin.sim.FleetSimulator;
import io.kelvin.sim.ReadingSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training rows from a simulated fleet, produced in-process (no Kafka) and reproducibly from a
 * seed, on the same simulator {@code kelvin demo} runs ({@link FleetGenerator}'s 3R2C buildings,
 * their devices and BMSs under {@link FleetSimulator}). The only class of this package that knows
 * the simulator.
 *
 * <p>The fleet steps minute by minute; every 10 minutes each building's readings are folded into
 * a window by the optimizer's {@link WindowAggregator}, a decision context is built as the
 * optimizer builds it, {@link SetpointExploration} picks the next setpoint, the features are
 * {@link FeatureBuilder#all} of that setpoint, and the command goes to the building's simulated
 * BMS, which applies it {@link #APPLY_DELAY} after the window's end as it would reach the
 * equipment behind a real optimizer (grace plus latency). When the next window closes, its energy
 * and mean indoor temperature become the row's targets: each row means what a {@code Feedback}
 * record means. The first {@link #WARM_UP} is simulated but not used (the initial state is
 * arbitrary).
 */
public final class SimulatedFleetData {
    /** Simulated time starts on a Monday at midnight UTC, whatever the wall clock says. */
    public static final Instant START = Instant.parse("2025-01-06T00:00:00Z");
    public static final Duration WARM_UP = Duration.ofHours(6);
    public static final String SIMULATOR = "io.kelvin.sim (the simulator of kelvin demo): 3R2C buildings from FleetGenerator in five "
            + "climates, heat pump and chiller with outdoor-dependent COP, dead-band zone control by a simulated BMS, occupants, "
            + "solar and internal gains, noisy sensors";
    public static final String WEATHER = "io.kelvin.sim.WeatherGenerator: each climate's seasonal and daily cycle with passing fronts, "
            + "seeded";
    /** The optimizer's defaults (KelvinConfig): 10-minute windows, commands valid for 25 minutes. */
    static final long WINDOW_MS = 600_000L;
    static final long VALIDITY_MS = 1_500_000L;
    /** A command reaches the equipment this long after its window ends: the default grace (2 min) plus a minute. */
    static final Duration APPLY_DELAY = Duration.ofMinutes(3);
    static final int MAX_POWER_SAMPLES = 720;
    static final double MAX_CHANGE_K = 0.5;

    private SimulatedFleetData() {}

    /** A simulated fleet's rows, ordered by decision time then building, and its span. */
    public record Fleet(List<TrainingRow> rows, List<BuildingProfile> profiles, Instant start, Instant end) {
        public Fleet {
            rows = List.copyOf(rows);
            profiles = List.copyOf(profiles);
        }
    }

    public static Fleet simulate(long seed, int buildings, int days) {
        if (buildings < 1 || days < 1) {
            throw new IllegalArgumentException("Need at least one building and one day, got " + buildings + " and " + days);
        }
        List<BuildingSpec> specs = new FleetGenerator(seed).generate(buildings);
        int steps = days * 1440;
        FleetSimulator.Timeline timeline = new FleetSimulator.Timeline(START, Duration.ofMinutes(1), steps, START);
        FleetSimulator simulator = new FleetSimulator(specs, timeline, APPLY_DELAY, seed);
        Random random = new Random(seed);
        Map<String, Recorder> recorders = new LinkedHashMap<>();
        for (BuildingSpec spec : specs) {
            recorders.put(spec.id(), new Recorder(spec.profile(),
                    new SetpointExploration(new Random(random.nextLong()), new SafetyRules(MAX_CHANGE_K))));
        }
        ReadingSink sink = new ReadingSink() {
            @Override
            public void publish(SensorReading reading) {
                recorders.get(reading.getBuildingId()).add(reading);
            }

            @Override
            public void flush() {
            }
        };
        List<TrainingRow> rows = new ArrayList<>();
        long start = START.toEpochMilli();
        for (int k = 0; k <= steps; k++) {
            long t = timeline.timeOf(k).toEpochMilli();
            if (k > 0 && (t - start) % WINDOW_MS == 0) {
                boolean warm = t - start >= WARM_UP.toMillis();
                for (Recorder recorder : recorders.values()) {
                    SetpointCommand command = recorder.closeWindow(t, warm, rows);
                    simulator.offer(command);
                }
            }
            if (k < steps) {
                simulator.step(sink);
            }
        }
        rows.sort(Comparator.comparingLong(TrainingRow::decidedAtMs).thenComparing(TrainingRow::buildingId));
        return new Fleet(rows, specs.stream().map(BuildingSpec::profile).toList(), START, START.plus(Duration.ofDays(days)));
    }

    /** One building's open window, its last decision and the row waiting for that decision's outcome. */
    private static final class Recorder {
        private final BuildingProfile profile;
        private final OccupancySchedule schedule;
        private final SetpointExploration exploration;
        private final WindowAggregator aggregator = new WindowAggregator(MAX_POWER_SAMPLES);
        private BuildingWindow window = WindowAggregator.empty();
        private SetpointCommand previous;
        private Map<String, Double> pending;
        private long pendingAt;

        Recorder(BuildingProfile profile, SetpointExploration exploration) {
            this.profile = profile;
            this.schedule = new OccupancySchedule(profile);
            this.exploration = exploration;
        }

        void add(SensorReading reading) {
            window = aggregator.apply(profile.getBuildingId(), reading, window);
        }

        /** Closes the window ending at {@code t}: records the last decision's outcome and decides again. */
        SetpointCommand closeWindow(long t, boolean warm, List<TrainingRow> rows) {
            String id = profile.getBuildingId();
            WindowSummary closed = new WindowSummary(window, t - WINDOW_MS, t);
            if (pending != null) {
                rows.add(new TrainingRow(id, pendingAt, pending, closed.energyKwh(), closed.mean(Metric.ZONE_TEMPERATURE_C)));
            }
            boolean occupiedNext = schedule.occupiedDuring(t, t + WINDOW_MS);
            DecisionContext ctx = new DecisionContext(closed, profile, schedule, anchor(previous, closed, profile, occupiedNext),
                    occupiedNext);
            double setpoint = exploration.next(ctx);
            previous = command(id, closed, setpoint, ctx.anchorSetpointC(), occupiedNext);
            pending = warm ? FeatureBuilder.all(ctx, setpoint) : null;
            pendingAt = t;
            window = WindowAggregator.empty();
            return previous;
        }
    }

    /** As the optimizer measures the change limit: the command in force, else what the BMS reported, else the schedule. */
    private static double anchor(SetpointCommand previous, WindowSummary window, BuildingProfile profile, boolean occupiedNext) {
        if (previous != null && previous.getValidUntil().toEpochMilli() > window.endMs()) {
            return previous.getSetpointC();
        }
        double reported = window.last(Metric.SETPOINT_C);
        if (Double.isFinite(reported)) {
            return reported;
        }
        return occupiedNext ? profile.getOccupiedSetpointC() : profile.getUnoccupiedSetpointC();
    }

    private static SetpointCommand command(String id, WindowSummary window, double setpoint, double anchor, boolean occupied) {
        return SetpointCommand.newBuilder()
                .setDecisionId(SetpointOptimizer.decisionId(id, window.endMs()))
                .setBuildingId(id)
                .setSetpointC(setpoint)
                .setWindowStart(Instant.ofEpochMilli(window.startMs()))
                .setWindowEnd(Instant.ofEpochMilli(window.endMs()))
                .setValidUntil(Instant.ofEpochMilli(window.endMs() + VALIDITY_MS))
                .setSource(SetpointSource.FALLBACK)
                .setReason("training-exploration")
                .setPreviousSetpointC(anchor)
                .setOccupied(occupied)
                .build();
    }
}
