package io.kelvin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.schema.Feedback;
import io.kelvin.schema.SetpointSource;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingRowTest {
    private static final Instant DECIDED = Instant.parse("2025-01-07T10:00:00Z");

    private static Feedback.Builder feedback() {
        return Feedback.newBuilder()
                .setDecisionId("b1@" + DECIDED)
                .setBuildingId("b1")
                .setDecidedAt(DECIDED)
                .setObservedWindowStart(DECIDED)
                .setObservedWindowEnd(DECIDED.plusSeconds(600))
                .setSetpointC(21)
                .setSource(SetpointSource.MODEL)
                .setFeatures(Map.of("candidate_setpoint_c", 21.0, "outdoor_mean_c", 2.0))
                .setObservedEnergyKwh(1.25)
                .setObservedIndoorC(20.75);
    }

    @Test
    void shouldTurnAFeedbackRecordIntoATrainingRow() {
        TrainingRow row = TrainingRow.fromFeedback(feedback().build()).orElseThrow();

        assertThat(row.buildingId()).isEqualTo("b1");
        assertThat(row.decidedAtMs()).isEqualTo(DECIDED.toEpochMilli());
        assertThat(row.energyKwh()).isEqualTo(1.25);
        assertThat(row.indoorC()).isEqualTo(20.75);
        assertThat(row.feature("outdoor_mean_c")).isEqualTo(2.0);
        assertThat(row.feature("indoor_last_c")).isNaN();
    }

    @Test
    void shouldSkipFeedbackWithoutAnObservedIndoorTemperature() {
        assertThat(TrainingRow.fromFeedback(feedback().setObservedIndoorC(null).build())).isEmpty();
        assertThat(TrainingRow.fromFeedback(feedback().setObservedEnergyKwh(Double.NaN).build())).isEmpty();
    }

    @Test
    void shouldRejectTargetsThatAreNotFinite() {
        assertThatThrownBy(() -> new TrainingRow("b", 0, Map.of(), Double.POSITIVE_INFINITY, 20))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
