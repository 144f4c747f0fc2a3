package io.kelvin.model;

import io.kelvin.demo.DemoBuilding;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training rows from a simulated fleet, produced in-process (no Kafka) and reproducibly from a
 * seed. The only class that knows the building simulator ({@link DemoBuilding}); swapping in
 * another simulator changes this class alone.
 *
 * <p>Each building steps minute by minute under its own weather; every 10 minutes its readings
 * are folded into a window by the optimizer's {@link WindowAggregator}, a decision context is
 * built as the optimizer builds it, {@link SetpointExploration} picks the next setpoint, the
 * features are {@link FeatureBuilder#all} of that setpoint, and the command goes to the
 * building's BMS. When the next window closes, its energy and mean indoor temperature become the
 * row's targets: each row means what a {@code Feedback} record means. The first {@link #WARM_UP}
 * is simulated but not used (the initial indoor temperature is arbitrary).
 */
public final class SimulatedFleetData {
    /** Simulated time starts on a Monday at midnight UTC, whatever the wall clock says. */
    public static final Instant START = Instant.parse("2025-01-06T00:00:00Z");
    public static final Duration WARM_UP = Duration.ofHours(6);
    public static final String SIMULATOR = "io.kelvin.demo.DemoBuilding: single-zone first-order (1R1C) thermal model, "
            + "heat pump with proportional control towards the setpoint (heating only), occupants as internal gains";
    public static final String WEATHER = "DemoBuilding.outdoorC (2 °C ± 5 K daily cycle) plus a per-building offset of up to ±6 K "
            + "and a day-to-day anomaly (AR(1), 0.7, sd 2 K, interpolated through the day)";
    /** The optimizer's defaults (KelvinConfig): 10-minute windows, commands valid for 25 minutes. */
    static final long WINDOW_MS = 600_000L;
    static final long VALIDITY_MS = 1_500_000L;
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
        Random random = new Random(seed);
        List<TrainingRow> rows = new ArrayList<>();
        List<BuildingProfile> profiles = new ArrayList<>();
        for (int b = 1; b <= buildings; b++) {
            DemoBuilding building = new DemoBuilding(String.format("sim-%03d", b), random);
            Weather weather = new Weather(new Random(random.nextLong()), days);
            SetpointExploration exploration = new SetpointExploration(new Random(random.nextLong()), new SafetyRules(MAX_CHANGE_K));
            profiles.add(building.profile());
            simulate(building, weather, exploration, days, rows);
        }
        rows.sort(Comparator.comparingLong(TrainingRow::decidedAtMs).thenComparing(TrainingRow::buildingId));
        return new Fleet(rows, profiles, START, START.plus(Duration.ofDays(days)));
    }

    private static void simulate(DemoBuilding building, Weather weather, SetpointExploration exploration, int days,
                                 List<TrainingRow> rows) {
        String id = building.id();
        BuildingProfile profile = building.profile();
        OccupancySchedule schedule = new OccupancySchedule(profile);
        WindowAggregator aggregator = new WindowAggregator(MAX_POWER_SAMPLES);
        long start = START.toEpochMilli();
        long minutes = days * 1440L;
        BuildingWindow window = WindowAggregator.empty();
        SetpointCommand previous = null;
        Map<String, Double> pending = null;
        long pendingAt = 0;
        for (long m = 0; m <= minutes; m++) {
            long t = start + m * 60_000L;
            if (m > 0 && (t - start) % WINDOW_MS == 0) {
                WindowSummary closed = new WindowSummary(window, t - WINDOW_MS, t);
                if (pending != null) {
                    rows.add(new TrainingRow(id, pendingAt, pending, closed.energyKwh(), closed.mean(Metric.ZONE_TEMPERATURE_C)));
                }
                boolean occupiedNext = schedule.occupiedDuring(t, t + WINDOW_MS);
                DecisionContext ctx = new DecisionContext(closed, profile, schedule, anchor(previous, closed, profile, occupiedNext),
                        occupiedNext);
                double setpoint = exploration.next(ctx);
                previous = command(id, closed, setpoint, ctx.anchorSetpointC(), occupiedNext);
                building.offer(previous);
                boolean warm = t - start >= WARM_UP.toMillis();
                pending = warm ? FeatureBuilder.all(ctx, setpoint) : null;
                pendingAt = t;
                window = WindowAggregator.empty();
            }
            if (m < minutes) {
                for (SensorReading r : building.step(Instant.ofEpochMilli(t), weather.outdoorC(t))) {
                    window = aggregator.apply(id, r, window);
                }
            }
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

    /** One building's outdoor temperature: the demo's daily cycle, shifted per building and per day. */
    private static final class Weather {
        private final double offsetK;
        private final double[] dailyAnomalyK;

        Weather(Random random, int days) {
            this.offsetK = (2 * random.nextDouble() - 1) * 6;
            this.dailyAnomalyK = new double[days + 2];
            for (int d = 1; d < dailyAnomalyK.length; d++) {
                dailyAnomalyK[d] = 0.7 * dailyAnomalyK[d - 1] + 2 * random.nextGaussian();
            }
        }

        double outdoorC(long epochMs) {
            double day = (epochMs - START.toEpochMilli()) / 86_400_000.0;
            int d = (int) Math.floor(day);
            double f = day - d;
            double anomaly = dailyAnomalyK[d] * (1 - f) + dailyAnomalyK[d + 1] * f;
            return DemoBuilding.outdoorC(Instant.ofEpochMilli(epochMs)) + offsetK + anomaly;
        }
    }
}
