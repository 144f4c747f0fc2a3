package io.kelvin.optimizer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.DecisionState;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one setpoint per building per closed window, and joins the previous decision with the
 * outcome this window observed.
 *
 * <p>For each closed window: (1) if the building's last decision applied to exactly this window,
 * emit a {@link Feedback} with the observed energy and temperatures, otherwise count the decision
 * as {@code decision-without-outcome}; (2) look up the building's profile (no profile or unusable
 * limits: no command, counted); (3) rank candidate setpoints with the building's model, or use
 * the profile's schedule ({@code FALLBACK}) when the window has too few zone readings or there is
 * no usable model or prediction; (4) pass the choice through {@link SafetyRules} and emit a
 * {@link SetpointCommand} with a deterministic {@code decisionId} and {@code validUntil}.
 *
 * <p>Guarantees: every command lies within the profile's limits and at most the allowed change
 * from the setpoint in force; one command per building per window; the decision store is
 * changelogged, so under exactly-once a restart neither repeats nor loses a decision.
 */
public final class SetpointOptimizer implements Processor<Windowed<String>, BuildingWindow, String, SpecificRecord> {
    private static final Logger log = LoggerFactory.getLogger(SetpointOptimizer.class);

    private final String profilesStoreName;
    private final Predictor predictor;
    private final SafetyRules safety;
    private final CandidateGenerator candidates;
    private final Objective objective;
    private final OptimizerMetrics metrics;
    private final long windowSizeMs;
    private final long validityMs;
    private final int minZoneReadings;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, DecisionState> decisions;
    private TimestampedKeyValueStore<String, BuildingProfile> profiles;
    private float[] inputs = new float[0];
    private float[] outputs = new float[0];

    public SetpointOptimizer(KelvinConfig config, String profilesStoreName, Predictor predictor, OptimizerMetrics metrics) {
        this.profilesStoreName = profilesStoreName;
        this.predictor = predictor;
        this.metrics = metrics;
        this.safety = new SafetyRules(config.getDouble(KelvinConfig.SETPOINT_MAX_CHANGE_K_CONFIG));
        this.candidates = new CandidateGenerator(safety, config.getDouble(KelvinConfig.SETPOINT_CANDIDATE_STEP_K_CONFIG));
        this.objective = new Objective(config.getDouble(KelvinConfig.OBJECTIVE_ENERGY_PRICE_CONFIG),
                config.getDouble(KelvinConfig.OBJECTIVE_COMFORT_PENALTY_CONFIG));
        this.windowSizeMs = config.getLong(KelvinConfig.WINDOW_SIZE_MS_CONFIG);
        this.validityMs = config.getLong(KelvinConfig.SETPOINT_VALIDITY_MS_CONFIG);
        this.minZoneReadings = config.getInt(KelvinConfig.OPTIMIZER_MIN_READINGS_CONFIG);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.decisions = context.getStateStore(OptimizerTopology.DECISIONS_STORE);
        this.profiles = context.getStateStore(profilesStoreName);
    }

    @Override
    public void process(Record<Windowed<String>, BuildingWindow> record) {
        String buildingId = record.key().key();
        WindowSummary window = new WindowSummary(record.value(), record.key().window().start(), record.key().window().end());
        metrics.windowClosed();

        DecisionState previous = decisions.get(buildingId);
        if (previous != null) {
            joinOutcome(previous, window);
        }
        ValueAndTimestamp<BuildingProfile> stored = profiles.get(buildingId);
        BuildingProfile profile = stored == null ? null : stored.value();
        String skip = profile == null ? "no-profile" : (SafetyRules.isUsable(profile) ? null : "invalid-profile");
        if (skip != null) {
            log.warn("No setpoint for building {} window ending {}: {}", buildingId, Instant.ofEpochMilli(window.endMs()), skip);
            metrics.skipped(skip);
            decisions.delete(buildingId); // its outcome was accounted for above
            return;
        }

        OccupancySchedule schedule = new OccupancySchedule(profile);
        boolean occupiedNext = schedule.occupiedDuring(window.endMs(), window.endMs() + windowSizeMs);
        double anchor = anchorSetpoint(previous, window, profile, occupiedNext);
        DecisionContext ctx = new DecisionContext(window, profile, schedule, anchor, occupiedNext);

        Choice choice = choose(ctx);
        double setpoint = safety.enforce(profile, anchor, choice.setpointC);
        SetpointCommand command = SetpointCommand.newBuilder()
                .setDecisionId(decisionId(buildingId, window.endMs()))
                .setBuildingId(buildingId)
                .setSetpointC(setpoint)
                .setWindowStart(Instant.ofEpochMilli(window.startMs()))
                .setWindowEnd(Instant.ofEpochMilli(window.endMs()))
                .setValidUntil(Instant.ofEpochMilli(window.endMs() + validityMs))
                .setSource(choice.source)
                .setReason(choice.reason)
                .setModelVersion(choice.modelVersion)
                .setPreviousSetpointC(anchor)
                .setPredictedEnergyKwh(choice.energyKwh)
                .setPredictedIndoorC(choice.indoorC)
                .setOccupied(occupiedNext)
                .build();
        decisions.put(buildingId, new DecisionState(command, FeatureBuilder.all(ctx, setpoint)));
        metrics.setpoint(choice.source);
        context.forward(new Record<>(buildingId, command, window.endMs()));
    }

    /** {@code buildingId@windowEnd}: the same window always yields the same id. */
    public static String decisionId(String buildingId, long windowEndMs) {
        return buildingId + "@" + Instant.ofEpochMilli(windowEndMs);
    }

    private void joinOutcome(DecisionState previous, WindowSummary window) {
        SetpointCommand command = previous.getCommand();
        if (command.getWindowEnd().toEpochMilli() != window.startMs()) {
            metrics.skipped("decision-without-outcome");
            return;
        }
        double indoor = window.mean(Metric.ZONE_TEMPERATURE_C);
        double outdoor = window.mean(Metric.OUTDOOR_TEMPERATURE_C);
        Feedback feedback = Feedback.newBuilder()
                .setDecisionId(command.getDecisionId())
                .setBuildingId(command.getBuildingId())
                .setDecidedAt(command.getWindowEnd())
                .setObservedWindowStart(Instant.ofEpochMilli(window.startMs()))
                .setObservedWindowEnd(Instant.ofEpochMilli(window.endMs()))
                .setSetpointC(command.getSetpointC())
                .setSource(command.getSource())
                .setModelVersion(command.getModelVersion())
                .setFeatures(previous.getFeatures())
                .setPredictedEnergyKwh(command.getPredictedEnergyKwh())
                .setPredictedIndoorC(command.getPredictedIndoorC())
                .setObservedEnergyKwh(window.energyKwh())
                .setObservedIndoorC(Double.isNaN(indoor) ? null : indoor)
                .setObservedOutdoorC(Double.isNaN(outdoor) ? null : outdoor)
                .setOccupied(command.getOccupied())
                .build();
        metrics.feedback();
        context.forward(new Record<>(command.getBuildingId(), feedback, window.endMs()));
    }

    /**
     * The setpoint the change limit is measured from: Kelvin's last command while still valid,
     * else what the BMS reported running, else the schedule the BMS follows without Kelvin.
     */
    private static double anchorSetpoint(DecisionState previous, WindowSummary window, BuildingProfile profile, boolean occupiedNext) {
        if (previous != null && previous.getCommand().getValidUntil().toEpochMilli() > window.endMs()) {
            return previous.getCommand().getSetpointC();
        }
        double reported = window.last(Metric.SETPOINT_C);
        if (Double.isFinite(reported)) {
            return reported;
        }
        return scheduled(profile, occupiedNext);
    }

    private static double scheduled(BuildingProfile profile, boolean occupied) {
        return occupied ? profile.getOccupiedSetpointC() : profile.getUnoccupiedSetpointC();
    }

    private Choice choose(DecisionContext ctx) {
        if (ctx.window().count(Metric.ZONE_TEMPERATURE_C) < minZoneReadings) {
            return Choice.fallback(ctx, "too-few-readings");
        }
        Optional<PredictionModel> found = predictor.modelFor(ctx.window().buildingId());
        if (found.isEmpty()) {
            return Choice.fallback(ctx, "no-model");
        }
        PredictionModel model = found.get();
        double[] options = candidates.candidates(ctx);
        List<String> names = model.featureNames();
        int width = names.size();
        if (inputs.length < options.length * width) {
            inputs = new float[options.length * width];
        }
        if (outputs.length < options.length * 2) {
            outputs = new float[options.length * 2];
        }
        for (int i = 0; i < options.length; i++) {
            FeatureBuilder.fill(names, ctx, options[i], inputs, i * width);
        }
        for (int i = 0; i < options.length * width; i++) {
            if (!Float.isFinite(inputs[i])) {
                return Choice.fallback(ctx, "missing-feature:" + names.get(i % width));
            }
        }
        try {
            model.predict(inputs, options.length, outputs);
        } catch (RuntimeException e) {
            log.warn("Model {} failed for building {}; falling back", model.version(), ctx.window().buildingId(), e);
            return Choice.fallback(ctx, "model-error");
        }
        BuildingProfile p = ctx.profile();
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int i = 0; i < options.length; i++) {
            float energy = outputs[2 * i];
            float indoor = outputs[2 * i + 1];
            if (!Float.isFinite(energy) || !Float.isFinite(indoor)) {
                return Choice.fallback(ctx, "invalid-prediction");
            }
            double cost = objective.cost(energy, indoor, ctx.occupiedNext(), p.getComfortMinC(), p.getComfortMaxC(), ctx.windowHours());
            // Ties go to the candidate nearest the setpoint in force: no needless moves.
            if (cost < bestCost - 1e-9 || (Math.abs(cost - bestCost) <= 1e-9
                    && Math.abs(options[i] - ctx.anchorSetpointC()) < Math.abs(options[best] - ctx.anchorSetpointC()))) {
                best = i;
                bestCost = cost;
            }
        }
        return new Choice(options[best], SetpointSource.MODEL, "", model.version(),
                (double) outputs[2 * best], (double) outputs[2 * best + 1]);
    }

    private record Choice(double setpointC, SetpointSource source, String reason, String modelVersion,
                          Double energyKwh, Double indoorC) {
        static Choice fallback(DecisionContext ctx, String reason) {
            return new Choice(scheduled(ctx.profile(), ctx.occupiedNext()), SetpointSource.FALLBACK, reason, null, null, null);
        }
    }
}
