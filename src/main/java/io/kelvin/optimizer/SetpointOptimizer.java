package io.kelvin.optimizer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.ModelClosedException;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.DecisionState;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.Metric;
import io.kelvin.schema.PendingWindow;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one setpoint per building per closed window, and joins the previous decision with the
 * outcome this window observed.
 *
 * <p>Closed windows are batched across buildings: each waits in the changelogged store
 * {@value OptimizerTopology#PENDING_STORE} until the batch holds {@code kelvin.inference.batch.size}
 * windows or the wall-clock linger ({@code kelvin.inference.batch.linger.ms}) ends, and then the
 * whole batch is ranked with one model call per model. A second window of a building already in
 * the batch flushes the batch first, so a building's decisions stay in window order. Under
 * exactly-once the pending store, the decisions and the outputs commit together: a crash before
 * the commit replays the windows, one after it restores them from the changelog, and either
 * way each window yields exactly one command.
 *
 * <p>For each window of a flushed batch: (1) if the building's last decision applied to exactly
 * this window, emit a {@link Feedback} with the observed energy and temperatures, otherwise
 * count the decision as {@code decision-without-outcome}; (2) look up the building's profile (no
 * profile or unusable limits: no command, counted); (3) rank candidate setpoints with the
 * building's model, or use the profile's schedule ({@code FALLBACK}) when the window has too few
 * zone readings or there is no usable model or prediction; (4) pass the choice through
 * {@link SafetyRules} and emit a {@link SetpointCommand} with a deterministic {@code decisionId}
 * and {@code validUntil}, and with the outdoor airflow of {@link VentilationRule} when the
 * building is about to be occupied, its profile gives ventilation limits and the window saw CO₂.
 *
 * <p>Guarantees: every command lies within the profile's limits and at most the allowed change
 * from the setpoint in force, and its airflow, if any, within the profile's ventilation limits;
 * one command per building per window.
 */
public final class SetpointOptimizer implements Processor<Windowed<String>, BuildingWindow, String, SpecificRecord> {
    private static final Logger log = LoggerFactory.getLogger(SetpointOptimizer.class);
    private static final Comparator<KeyValue<String, PendingWindow>> WINDOW_ORDER = Comparator
            .comparing((KeyValue<String, PendingWindow> kv) -> kv.value.getWindowEnd())
            .thenComparing(kv -> kv.key);

    private final String profilesStoreName;
    private final Predictor predictor;
    private final SafetyRules safety;
    private final CandidateGenerator candidates;
    private final Objective objective;
    private final VentilationRule ventilation;
    private final OptimizerMetrics metrics;
    private final BuildingWatchdog watchdog;
    /** The buildings of this task that the watchdog watches; forgotten when the task closes. */
    private final Set<String> watched = new HashSet<>();
    private final long windowSizeMs;
    private final long validityMs;
    private final int minZoneReadings;
    private final int batchSize;
    private final Duration linger;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, DecisionState> decisions;
    private KeyValueStore<String, PendingWindow> pending;
    /**
     * What {@link #pending} holds, kept in memory so that batching reads nothing back: the store
     * is the durable copy (changelogged, committed with the outputs) and is read only in
     * {@link #init}, after a restart or a rebalance.
     */
    private final Map<String, PendingWindow> batched = new HashMap<>();
    private TimestampedKeyValueStore<String, BuildingProfile> profiles;
    private float[] inputs = new float[0];
    private float[] outputs = new float[0];

    public SetpointOptimizer(KelvinConfig config, String profilesStoreName, Predictor predictor, OptimizerMetrics metrics,
                             BuildingWatchdog watchdog) {
        this.watchdog = watchdog;
        this.profilesStoreName = profilesStoreName;
        this.predictor = predictor;
        this.metrics = metrics;
        this.safety = new SafetyRules(config.getDouble(KelvinConfig.SETPOINT_MAX_CHANGE_K_CONFIG));
        this.candidates = new CandidateGenerator(safety, config.getDouble(KelvinConfig.SETPOINT_CANDIDATE_STEP_K_CONFIG),
                config.getLong(KelvinConfig.OBJECTIVE_PREHEAT_MS_CONFIG), config.getLong(KelvinConfig.OBJECTIVE_PREHEAT_PER_K_MS_CONFIG));
        this.objective = new Objective(config.getDouble(KelvinConfig.OBJECTIVE_ENERGY_PRICE_CONFIG),
                config.getDouble(KelvinConfig.OBJECTIVE_COMFORT_PENALTY_CONFIG), config.getDouble(KelvinConfig.OBJECTIVE_COMFORT_MARGIN_K_CONFIG));
        this.ventilation = new VentilationRule(config.getBoolean(KelvinConfig.VENTILATION_ENABLED_CONFIG),
                config.getDouble(KelvinConfig.VENTILATION_CO2_BAND_PPM_CONFIG), config.getDouble(KelvinConfig.VENTILATION_CO2_MARGIN_PPM_CONFIG));
        this.windowSizeMs = config.getLong(KelvinConfig.WINDOW_SIZE_MS_CONFIG);
        this.validityMs = config.getLong(KelvinConfig.SETPOINT_VALIDITY_MS_CONFIG);
        this.minZoneReadings = config.getInt(KelvinConfig.OPTIMIZER_MIN_READINGS_CONFIG);
        this.batchSize = config.getInt(KelvinConfig.INFERENCE_BATCH_SIZE_CONFIG);
        this.linger = Duration.ofMillis(config.getLong(KelvinConfig.INFERENCE_BATCH_LINGER_MS_CONFIG));
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.decisions = context.getStateStore(OptimizerTopology.DECISIONS_STORE);
        this.pending = context.getStateStore(OptimizerTopology.PENDING_STORE);
        this.profiles = context.getStateStore(profilesStoreName);
        // Windows restored from the changelog after a crash are decided on the first linger tick.
        batched.clear();
        try (KeyValueIterator<String, PendingWindow> it = pending.all()) {
            it.forEachRemaining(kv -> batched.put(kv.key, kv.value));
        }
        // Buildings decided before a restart are watched from now: if their readings never
        // resume, no window closes for them and only the watchdog can tell.
        try (KeyValueIterator<String, DecisionState> it = decisions.all()) {
            it.forEachRemaining(kv -> watch(kv.key));
        }
        context.schedule(linger, PunctuationType.WALL_CLOCK_TIME, now -> flush("linger"));
    }

    @Override
    public void process(Record<Windowed<String>, BuildingWindow> record) {
        String buildingId = record.key().key();
        metrics.windowClosed();
        watch(buildingId);
        if (batched.containsKey(buildingId)) {
            flush("ordering");
        }
        PendingWindow window = new PendingWindow(Instant.ofEpochMilli(record.key().window().start()),
                Instant.ofEpochMilli(record.key().window().end()), record.value());
        pending.put(buildingId, window);
        batched.put(buildingId, window);
        if (batched.size() >= batchSize) {
            flush("full");
        }
    }

    /** {@code buildingId@windowEnd}: the same window always yields the same id. */
    public static String decisionId(String buildingId, long windowEndMs) {
        return buildingId + "@" + Instant.ofEpochMilli(windowEndMs);
    }

    /** Decides every pending window: feedback and context first, then one model call per model. */
    private void flush(String trigger) {
        if (batched.isEmpty()) {
            return;
        }
        List<KeyValue<String, PendingWindow>> batch = new ArrayList<>(batched.size());
        batched.forEach((buildingId, window) -> batch.add(KeyValue.pair(buildingId, window)));
        batch.sort(WINDOW_ORDER);
        metrics.batch(trigger, batch.size());

        List<Decision> ready = new ArrayList<>(batch.size());
        Map<PredictionModel, List<Decision>> byModel = new IdentityHashMap<>();
        for (KeyValue<String, PendingWindow> kv : batch) {
            PendingWindow p = kv.value;
            WindowSummary window = new WindowSummary(p.getWindow(), p.getWindowStart().toEpochMilli(), p.getWindowEnd().toEpochMilli());
            Decision decision = prepare(kv.key, window);
            if (decision != null) {
                ready.add(decision);
                if (decision.model != null) {
                    byModel.computeIfAbsent(decision.model, m -> new ArrayList<>()).add(decision);
                }
            }
        }
        byModel.forEach((model, group) -> rank(model, group, false));
        for (Decision decision : ready) {
            emit(decision);
        }
        for (KeyValue<String, PendingWindow> kv : batch) {
            pending.delete(kv.key);
        }
        batched.clear();
    }

    /**
     * Joins the previous decision's outcome and sets up this window's decision: its context,
     * candidates and model, or the fallback and why. Null when the building gets no command.
     */
    private Decision prepare(String buildingId, WindowSummary window) {
        DecisionState previous = decisions.get(buildingId);
        if (previous != null) {
            joinOutcome(previous, window);
        }
        ValueAndTimestamp<BuildingProfile> stored = profiles.get(buildingId);
        BuildingProfile profile = stored == null ? null : stored.value();
        String skip = profile == null ? "no-profile" : (SafetyRules.isUsable(profile) ? null : "invalid-profile");
        if (skip != null) {
            log.atWarn().addKeyValue("building_id", buildingId).addKeyValue("reason", skip)
                    .log("No setpoint for building {} window ending {}: {}", buildingId, Instant.ofEpochMilli(window.endMs()), skip);
            metrics.skipped(skip);
            decisions.delete(buildingId); // its outcome was accounted for above
            return null;
        }
        OccupancySchedule schedule = new OccupancySchedule(profile);
        boolean occupiedNext = schedule.occupiedDuring(window.endMs(), window.endMs() + windowSizeMs);
        double anchor = anchorSetpoint(previous, window, profile, occupiedNext);
        Decision decision = new Decision(new DecisionContext(window, profile, schedule, anchor, occupiedNext));
        if (window.count(Metric.ZONE_TEMPERATURE_C) < minZoneReadings) {
            return decision.fallback("too-few-readings");
        }
        Optional<PredictionModel> model = predictor.modelFor(buildingId);
        if (model.isEmpty()) {
            return decision.fallback("no-model");
        }
        decision.model = model.get();
        decision.comfortRequired = candidates.comfortRequired(decision.ctx);
        decision.options = candidates.candidates(decision.ctx, decision.comfortRequired);
        return decision;
    }

    /**
     * Ranks the candidates of every decision that uses {@code model}, in one call. A model
     * replaced between lookup and call is closed; its group is looked up again and ranked by the
     * replacement, once.
     */
    private void rank(PredictionModel model, List<Decision> group, boolean retried) {
        List<String> names = model.featureNames();
        int width = names.size();
        List<Decision> fed = new ArrayList<>(group.size());
        int rows = 0;
        for (Decision d : group) {
            rows += d.options.length;
        }
        ensureCapacity(rows * width, rows * 2);
        int row = 0;
        for (Decision d : group) {
            String missing = fill(d, names, row);
            if (missing != null) {
                d.fallback("missing-feature:" + missing);
                continue;
            }
            d.firstRow = row;
            row += d.options.length;
            fed.add(d);
        }
        if (fed.isEmpty()) {
            return;
        }
        try {
            model.predict(inputs, row, outputs);
        } catch (ModelClosedException e) {
            if (retried) {
                fed.forEach(d -> d.fallback("model-error"));
            } else {
                rankAgain(fed);
            }
            return;
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("model_version", model.version()).setCause(e)
                    .log("Model {} failed on a batch of {} buildings; they fall back to their schedules", model.version(), fed.size());
            fed.forEach(d -> d.fallback("model-error"));
            return;
        }
        for (Decision d : fed) {
            choose(d);
        }
    }

    private void rankAgain(List<Decision> fed) {
        Map<PredictionModel, List<Decision>> byModel = new IdentityHashMap<>();
        for (Decision d : fed) {
            Optional<PredictionModel> now = predictor.modelFor(d.ctx.window().buildingId());
            if (now.isEmpty()) {
                d.fallback("no-model");
            } else {
                d.model = now.get();
                byModel.computeIfAbsent(d.model, m -> new ArrayList<>()).add(d);
            }
        }
        byModel.forEach((model, group) -> rank(model, group, true));
    }

    /** Writes {@code d}'s candidate rows from {@code row} on; returns the first feature that is not finite, or null. */
    private String fill(Decision d, List<String> names, int row) {
        int width = names.size();
        int offset = row * width;
        FeatureBuilder.fillRows(names, d.ctx, d.options, inputs, offset);
        for (int i = 0; i < d.options.length * width; i++) {
            if (!Float.isFinite(inputs[offset + i])) {
                return names.get(i % width);
            }
        }
        return null;
    }

    private void ensureCapacity(int inputLength, int outputLength) {
        if (inputs.length < inputLength) {
            inputs = new float[inputLength];
        }
        if (outputs.length < outputLength) {
            outputs = new float[outputLength];
        }
    }

    /** Picks the cheapest candidate by the objective; ties go to the one nearest the setpoint in force. */
    private void choose(Decision d) {
        BuildingProfile p = d.ctx.profile();
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int i = 0; i < d.options.length; i++) {
            float energy = outputs[2 * (d.firstRow + i)];
            float indoor = outputs[2 * (d.firstRow + i) + 1];
            if (!Float.isFinite(energy) || !Float.isFinite(indoor)) {
                d.fallback("invalid-prediction");
                return;
            }
            double cost = objective.cost(energy, indoor, d.comfortRequired, p.getComfortMinC(), p.getComfortMaxC(), d.ctx.windowHours());
            if (cost < bestCost - 1e-9 || (Math.abs(cost - bestCost) <= 1e-9
                    && Math.abs(d.options[i] - d.ctx.anchorSetpointC()) < Math.abs(d.options[best] - d.ctx.anchorSetpointC()))) {
                best = i;
                bestCost = cost;
            }
        }
        d.choice = new Choice(d.options[best], SetpointSource.MODEL, "", d.model.version(),
                (double) outputs[2 * (d.firstRow + best)], (double) outputs[2 * (d.firstRow + best) + 1]);
    }

    private void emit(Decision d) {
        DecisionContext ctx = d.ctx;
        WindowSummary window = ctx.window();
        String buildingId = window.buildingId();
        Choice choice = d.choice;
        double setpoint = safety.enforce(ctx.profile(), ctx.anchorSetpointC(), choice.setpointC);
        Double ventilationLps = ventilation.ventilationLps(ctx.profile(), window.mean(Metric.CO2_PPM), ctx.occupiedNext());
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
                .setPreviousSetpointC(ctx.anchorSetpointC())
                .setPredictedEnergyKwh(choice.energyKwh)
                .setPredictedIndoorC(choice.indoorC)
                .setOccupied(ctx.occupiedNext())
                .setVentilationLps(ventilationLps)
                .build();
        decisions.put(buildingId, new DecisionState(command, FeatureBuilder.all(ctx, setpoint)));
        metrics.setpoint(choice.source);
        if (ventilationLps != null) {
            metrics.ventilationCommanded();
        }
        watchdog.commanded(buildingId);
        log.atDebug().addKeyValue("building_id", buildingId).addKeyValue("decision_id", command.getDecisionId())
                .addKeyValue("model_version", choice.modelVersion).addKeyValue("source", choice.source)
                .addKeyValue("setpoint_c", setpoint)
                .log("Setpoint {} °C for building {} ({}{})", setpoint, buildingId, choice.source,
                        choice.reason.isEmpty() ? "" : ", " + choice.reason);
        context.forward(new Record<>(buildingId, command, window.endMs()));
    }

    private void watch(String buildingId) {
        if (watched.add(buildingId)) {
            watchdog.watch(buildingId);
        }
    }

    @Override
    public void close() {
        watchdog.forget(watched);
        watched.clear();
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
        metrics.predictionOutcome(command.getPredictedEnergyKwh(), feedback.getObservedEnergyKwh(),
                command.getPredictedIndoorC(), feedback.getObservedIndoorC());
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

    /** One window's decision on its way through a batch. */
    private static final class Decision {
        final DecisionContext ctx;
        PredictionModel model;
        boolean comfortRequired;
        double[] options;
        int firstRow;
        Choice choice;

        Decision(DecisionContext ctx) {
            this.ctx = ctx;
        }

        Decision fallback(String reason) {
            model = null;
            choice = new Choice(scheduled(ctx.profile(), ctx.occupiedNext()), SetpointSource.FALLBACK, reason, null, null, null);
            return this;
        }
    }

    private record Choice(double setpointC, SetpointSource source, String reason, String modelVersion,
                          Double energyKwh, Double indoorC) {}
}
