package io.kelvin.trainer;

import io.kelvin.inference.ModelRejectedException;
import io.kelvin.model.DesignComparison;
import io.kelvin.model.FeatureDesign;
import io.kelvin.model.LambdaSearch;
import io.kelvin.model.ModelErrors;
import io.kelvin.model.ModelExportException;
import io.kelvin.model.ModelMetadata;
import io.kelvin.model.OnnxExporter;
import io.kelvin.model.Prediction;
import io.kelvin.model.ThermalModel;
import io.kelvin.model.ThermalModelLearner;
import io.kelvin.model.TimeSplit;
import io.kelvin.model.TrainingRow;
import io.kelvin.optimizer.ModelCatalog.ModelLoader;
import io.kelvin.optimizer.ModelSource;
import io.kelvin.optimizer.PredictionModel;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.TrainingDecision;
import io.kelvin.schema.TrainingReport;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One day's retraining of one model key, from its stored feedback rows to a {@link TrainingReport}
 * and, when the challenger passes the {@link PromotionGate}, a {@link ModelRelease}.
 *
 * <p>Split, in the model's local time: the held-out day is local day {@code D-1}; the penalty and
 * the feature design are chosen on day {@code D-2} ({@link DesignComparison}: ridge regression on
 * each candidate design of thermal terms, the lowest validation error wins, refitted on training
 * and validation rows); training uses the rows before it back to {@code D - history days}. Rows
 * decided on day {@code D} itself are not used, so the result depends only on rows that were
 * complete when the training hour passed, and the same rows always give the same release (the
 * learner is deterministic and {@code createdAt} is stream time).
 *
 * <p>The challenger is compared on the held-out rows that the serving model (the {@code
 * modelVersion} of the latest held-out row with logged predictions) decided, against those logged
 * predictions; without any, against persistence on every held-out row. A promoted model is
 * exported to ONNX, run back through ONNX Runtime against the Java model on every row
 * ({@link OnnxExporter}), and loaded by the same validation the optimizer applies before release.
 */
public final class ModelTraining {
    public static final String PRODUCER = "kelvin-trainer";

    /** Limits of one training. */
    public record Settings(int historyDays, int minRows, int minHoldoutRows, PromotionGate gate) {}

    /** The report, always; the release when the challenger was promoted, else null. */
    public record Outcome(TrainingReport report, ModelRelease release) {}

    private final Settings settings;
    private final ModelLoader loader;
    private final Clock wallClock;

    /**
     * @param loader    validates an exported model as the optimizer will (the inference engine)
     * @param wallClock measures the report's duration only; nothing released depends on it
     */
    public ModelTraining(Settings settings, ModelLoader loader, Clock wallClock) {
        this.settings = settings;
        this.loader = loader;
        this.wallClock = wallClock;
    }

    /**
     * Trains {@code modelKey} for local day {@code day} from {@code feedback} (any order; rows
     * outside the history window are ignored) at stream time {@code streamTimeMs}.
     */
    public Outcome train(String modelKey, LocalDate day, ZoneId zone, List<Feedback> feedback, long streamTimeMs) {
        long started = wallClock.millis();
        TrainingReport.Builder report = TrainingReport.newBuilder()
                .setModelKey(modelKey)
                .setTrainingDay(day)
                .setStartedAt(Instant.ofEpochMilli(streamTimeMs))
                .setDurationMs(0)
                .setTrainingRows(0)
                .setHoldoutRows(0);
        ModelRelease release = null;
        try {
            release = decide(modelKey, day, zone, feedback, streamTimeMs, report);
        } catch (ModelExportException | ModelRejectedException e) {
            report.setDecision(TrainingDecision.FAILED).setReason("The challenger could not be released: " + e.getMessage());
        } catch (RuntimeException e) {
            report.setDecision(TrainingDecision.FAILED).setReason("Training failed: " + e);
        }
        report.setDurationMs(Math.max(0, wallClock.millis() - started));
        return new Outcome(report.build(), release);
    }

    private ModelRelease decide(String modelKey, LocalDate day, ZoneId zone, List<Feedback> feedback, long streamTimeMs,
                                TrainingReport.Builder report) throws ModelRejectedException {
        long historyStart = TrainingSchedule.startOf(day.minusDays(settings.historyDays()), zone);
        long validationStart = TrainingSchedule.startOf(day.minusDays(2), zone);
        long holdoutStart = TrainingSchedule.startOf(day.minusDays(1), zone);
        long dayStart = TrainingSchedule.startOf(day, zone);

        Map<TrainingRow, Feedback> source = new IdentityHashMap<>();
        List<TrainingRow> train = new ArrayList<>();
        List<TrainingRow> validation = new ArrayList<>();
        List<TrainingRow> holdout = new ArrayList<>();
        List<Feedback> ordered = new ArrayList<>(feedback);
        ordered.sort(Comparator.comparing(Feedback::getDecidedAt).thenComparing(f -> f.getBuildingId().toString()));
        for (Feedback f : ordered) {
            long at = f.getDecidedAt().toEpochMilli();
            if (at < historyStart || at >= dayStart) {
                continue;
            }
            TrainingRow.fromFeedback(f).ifPresent(row -> {
                source.put(row, f);
                (at < validationStart ? train : at < holdoutStart ? validation : holdout).add(row);
            });
        }
        // Usable by the design that reads the most inputs, so no candidate finds fewer rows than counted here.
        ThermalModelLearner widest = new ThermalModelLearner(FeatureDesign.candidates().stream()
                .max(Comparator.comparingInt(d -> d.rawInputs().size())).orElseThrow());
        int usableBefore = widest.usable(train).size() + widest.usable(validation).size();
        List<TrainingRow> usableHoldout = widest.usable(holdout);
        report.setTrainingRows(usableBefore).setHoldoutRows(usableHoldout.size());
        if (usableBefore < settings.minRows() || usableHoldout.size() < settings.minHoldoutRows() || widest.usable(validation).isEmpty()) {
            report.setDecision(TrainingDecision.INSUFFICIENT_DATA).setReason(String.format(Locale.ROOT,
                    "%d usable rows before the held-out day %s (need %d, with at least one on the validation day %s) and %d held out (need %d)",
                    usableBefore, day.minusDays(1), settings.minRows(), day.minusDays(2), usableHoldout.size(), settings.minHoldoutRows()));
            return null;
        }

        DesignComparison comparison;
        try {
            comparison = DesignComparison.run(FeatureDesign.candidates(), new LambdaSearch(), new TimeSplit(train, validation, holdout));
        } catch (IllegalArgumentException e) {
            report.setDecision(TrainingDecision.INSUFFICIENT_DATA).setReason("Cannot learn from these rows: " + e.getMessage());
            return null;
        }
        DesignComparison.Candidate chosen = comparison.chosen();
        ThermalModel challenger = chosen.fitted().model();
        String version = day + "-" + modelKey + "-" + OnnxExporter.fingerprint(challenger);
        report.setTrainingRows(chosen.fitted().trainingRows()).setChallengerVersion(version);

        Champion champion = champion(holdout, source);
        ModelErrors challengerErrors;
        ModelErrors incumbentErrors;
        String incumbent;
        List<TrainingRow> compared = champion == null ? List.of() : chosenUsable(challenger, champion.rows());
        if (!compared.isEmpty()) {
            incumbentErrors = ModelErrors.of(compared, r -> logged(source.get(r)));
            challengerErrors = ModelErrors.of(challenger, compared);
            incumbent = "champion " + champion.version();
            report.setChampionVersion(champion.version())
                    .setChampionMaeEnergyKwh(incumbentErrors.maeEnergyKwh())
                    .setChampionMaeIndoorC(incumbentErrors.maeIndoorC());
        } else {
            List<TrainingRow> usable = chosenUsable(challenger, holdout);
            incumbentErrors = ModelErrors.persistence(usable);
            challengerErrors = ModelErrors.of(challenger, usable);
            incumbent = "persistence (no logged predictions on the held-out day)";
        }
        report.setChallengerMaeEnergyKwh(challengerErrors.maeEnergyKwh()).setChallengerMaeIndoorC(challengerErrors.maeIndoorC());
        String figures = String.format(Locale.ROOT,
                "%s (%s) on %d held-out rows: energy MAE %.4f vs %.4f kWh, indoor MAE %.4f vs %.4f K, priced %.4f vs %.4f per window, margin %.1f%%",
                chosen.design().name(), chosen.design().method(), challengerErrors.rows(), challengerErrors.maeEnergyKwh(),
                incumbentErrors.maeEnergyKwh(), challengerErrors.maeIndoorC(), incumbentErrors.maeIndoorC(),
                settings.gate().cost(challengerErrors), settings.gate().cost(incumbentErrors), settings.gate().margin() * 100);
        if (!settings.gate().promotes(challengerErrors, incumbentErrors)) {
            report.setDecision(TrainingDecision.KEPT_CHAMPION).setReason("Challenger not better than " + incumbent + ": " + figures);
            return null;
        }

        ModelMetadata metadata = new ModelMetadata(modelKey, version, PRODUCER, Instant.ofEpochMilli(streamTimeMs),
                chosen.fitted().trainingRows(), chosen.holdout().maeEnergyKwh(), chosen.holdout().maeIndoorC());
        List<TrainingRow> everyRow = new ArrayList<>(train);
        everyRow.addAll(validation);
        everyRow.addAll(holdout);
        byte[] onnx = OnnxExporter.export(challenger, metadata, chosenUsable(challenger, everyRow)).onnx();
        PredictionModel loaded = loader.load(modelKey, onnx);
        try {
            if (!version.equals(loaded.version()) || !challenger.inputs().equals(loaded.featureNames())) {
                throw new ModelExportException("The exported model reads back as version " + loaded.version() + " with features "
                        + loaded.featureNames() + ", not " + version + " with " + challenger.inputs());
            }
        } finally {
            if (loaded instanceof AutoCloseable closeable) {
                closeQuietly(closeable);
            }
        }
        report.setDecision(TrainingDecision.PROMOTED).setReason("Challenger better than " + incumbent + ": " + figures);
        return ModelRelease.newBuilder()
                .setModelKey(modelKey)
                .setVersion(version)
                .setCreatedAt(Instant.ofEpochMilli(streamTimeMs))
                .setOnnx(ByteBuffer.wrap(onnx))
                .setUri(null)
                .setSha256(ModelSource.sha256Hex(onnx))
                .setFeatureNames(new ArrayList<>(challenger.inputs()))
                .setProducer(PRODUCER)
                .setTrainingRows(chosen.fitted().trainingRows())
                .setHoldoutMaeEnergyKwh(chosen.holdout().maeEnergyKwh())
                .setHoldoutMaeIndoorC(chosen.holdout().maeIndoorC())
                .build();
    }

    /** The model serving on the held-out day and the held-out rows it decided with logged predictions. */
    private record Champion(String version, List<TrainingRow> rows) {}

    private static Champion champion(List<TrainingRow> holdout, Map<TrainingRow, Feedback> source) {
        String version = null;
        for (TrainingRow row : holdout) { // in time order: the last one with predictions is the serving model
            Feedback f = source.get(row);
            if (hasPrediction(f)) {
                version = f.getModelVersion().toString();
            }
        }
        if (version == null) {
            return null;
        }
        List<TrainingRow> rows = new ArrayList<>();
        for (TrainingRow row : holdout) {
            Feedback f = source.get(row);
            if (hasPrediction(f) && version.equals(f.getModelVersion().toString())) {
                rows.add(row);
            }
        }
        return new Champion(version, rows);
    }

    private static boolean hasPrediction(Feedback f) {
        return f.getModelVersion() != null && f.getPredictedEnergyKwh() != null && f.getPredictedIndoorC() != null
                && Double.isFinite(f.getPredictedEnergyKwh()) && Double.isFinite(f.getPredictedIndoorC());
    }

    private static Prediction logged(Feedback f) {
        return new Prediction(f.getPredictedEnergyKwh(), f.getPredictedIndoorC());
    }

    /** The rows the chosen design can predict (all its inputs finite), in order. */
    private static List<TrainingRow> chosenUsable(ThermalModel model, List<TrainingRow> rows) {
        Set<TrainingRow> usable = Collections.newSetFromMap(new IdentityHashMap<>());
        usable.addAll(new ThermalModelLearner(model.design()).usable(rows));
        return rows.stream().filter(usable::contains).toList();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing a probe session cannot change the outcome; the engine logs its own failures.
        }
    }
}
