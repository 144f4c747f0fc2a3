package io.kelvin.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Rows split by decision time, as a model meets the future: it is fitted to the past, its
 * penalty is chosen on the days after, and its error is measured on the last days, which
 * neither fitting nor choosing saw.
 */
public record TimeSplit(List<TrainingRow> train, List<TrainingRow> validation, List<TrainingRow> holdout) {

    public TimeSplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        holdout = List.copyOf(holdout);
    }

    /**
     * Holds out rows decided in the last {@code holdoutDays} before {@code end}, validates on the
     * {@code validationDays} before those, and trains on everything earlier.
     */
    public static TimeSplit lastDays(List<TrainingRow> rows, Instant end, int validationDays, int holdoutDays) {
        if (validationDays < 1 || holdoutDays < 1) {
            throw new IllegalArgumentException("Validation and holdout need at least a day each");
        }
        long holdoutFrom = end.minus(Duration.ofDays(holdoutDays)).toEpochMilli();
        long validationFrom = end.minus(Duration.ofDays((long) holdoutDays + validationDays)).toEpochMilli();
        return new TimeSplit(
                rows.stream().filter(r -> r.decidedAtMs() < validationFrom).toList(),
                rows.stream().filter(r -> r.decidedAtMs() >= validationFrom && r.decidedAtMs() < holdoutFrom).toList(),
                rows.stream().filter(r -> r.decidedAtMs() >= holdoutFrom).toList());
    }
}
