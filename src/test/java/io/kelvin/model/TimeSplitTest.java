package io.kelvin.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimeSplitTest {
    private static final Instant END = Instant.parse("2025-02-10T00:00:00Z");

    private static TrainingRow at(String instant) {
        return new TrainingRow("b", Instant.parse(instant).toEpochMilli(), Map.of(), 1, 20);
    }

    @Test
    void shouldHoldOutTheLastDaysAndValidateOnTheDaysBeforeThem() {
        TrainingRow early = at("2025-02-01T12:00:00Z");
        TrainingRow lastTrain = at("2025-02-07T23:50:00Z");      // just before validation starts
        TrainingRow firstValidation = at("2025-02-08T00:00:00Z"); // validation: 2 days before the holdout
        TrainingRow lastValidation = at("2025-02-08T23:50:00Z");
        TrainingRow firstHoldout = at("2025-02-09T00:00:00Z");    // holdout: the last day
        TrainingRow lastHoldout = at("2025-02-09T23:50:00Z");

        TimeSplit split = TimeSplit.lastDays(List.of(early, lastTrain, firstValidation, lastValidation, firstHoldout, lastHoldout),
                END, 1, 1);

        assertThat(split.train()).containsExactly(early, lastTrain);
        assertThat(split.validation()).containsExactly(firstValidation, lastValidation);
        assertThat(split.holdout()).containsExactly(firstHoldout, lastHoldout);
    }
}
