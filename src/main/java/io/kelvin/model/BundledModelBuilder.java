package io.kelvin.model;

import io.kelvin.inference.ModelContract;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the cold-start model shipped in the jar: simulates a fleet ({@link SimulatedFleetData}),
 * splits it by time, compares the candidate designs ({@link DesignComparison}), exports the
 * winner with the contract's metadata (checked through ONNX Runtime on every row) and writes its
 * model card. Everything derives from the options: the same options give the same bytes, with
 * {@code trained_at} the end of the simulated period rather than the wall clock.
 */
public final class BundledModelBuilder {
    public static final String PRODUCER = "kelvin-bundle";
    private static final DateTimeFormatter VERSION_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private BundledModelBuilder() {}

    /** What to simulate and how to split it. */
    public record Options(long seed, int buildings, int days, int validationDays, int holdoutDays) {
        public static final long DEFAULT_SEED = 7;
        public static final int DEFAULT_BUILDINGS = 20;
        public static final int DEFAULT_DAYS = 35;
        public static final int DEFAULT_VALIDATION_DAYS = 7;
        public static final int DEFAULT_HOLDOUT_DAYS = 7;

        public Options {
            if (buildings < 1 || validationDays < 1 || holdoutDays < 1 || days < validationDays + holdoutDays + 1) {
                throw new IllegalArgumentException("Need at least one building, one validation and one holdout day, and at least one"
                        + " training day before them: buildings " + buildings + ", days " + days + ", validation days "
                        + validationDays + ", holdout days " + holdoutDays);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_SEED, DEFAULT_BUILDINGS, DEFAULT_DAYS, DEFAULT_VALIDATION_DAYS, DEFAULT_HOLDOUT_DAYS);
        }
    }

    /** The built model and everything its card reports. */
    public record Bundle(Options options, SimulatedFleetData.Fleet fleet, TimeSplit split, DesignComparison comparison,
                         ModelMetadata metadata, OnnxExporter.Exported exported) {
        public ThermalModel model() {
            return comparison.chosen().fitted().model();
        }
    }

    public static Bundle build(Options options) {
        SimulatedFleetData.Fleet fleet = SimulatedFleetData.simulate(options.seed(), options.buildings(), options.days());
        TimeSplit split = TimeSplit.lastDays(fleet.rows(), fleet.end(), options.validationDays(), options.holdoutDays());
        DesignComparison comparison = DesignComparison.run(FeatureDesign.candidates(), new LambdaSearch(), split);
        DesignComparison.Candidate chosen = comparison.chosen();
        ThermalModel model = chosen.fitted().model();
        ModelMetadata metadata = new ModelMetadata(ModelContract.BUNDLED_KEY,
                "bundled-" + VERSION_DATE.format(fleet.end()) + "-" + OnnxExporter.fingerprint(model),
                PRODUCER, fleet.end(), chosen.fitted().trainingRows(),
                chosen.holdout().maeEnergyKwh(), chosen.holdout().maeIndoorC());
        List<TrainingRow> everyRow = new ArrayList<>(split.train());
        everyRow.addAll(split.validation());
        everyRow.addAll(split.holdout());
        OnnxExporter.Exported exported = OnnxExporter.export(model, metadata, everyRow);
        return new Bundle(options, fleet, split, comparison, metadata, exported);
    }
}
