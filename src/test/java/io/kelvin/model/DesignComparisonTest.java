package io.kelvin.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesignComparisonTest {

    @Test
    void shouldKeepTheDesignWithTheBestValidationScoreAndMeasureEveryDesignOnHeldOutRows() {
        // Given outcomes that follow a hinge law: heating only when the setpoint exceeds the room
        long day = 86_400_000L;
        List<TrainingRow> rows = new ArrayList<>();
        rows.addAll(SyntheticRows.rows(1, 3_000, 1_000, 5_000, 0.01, 0));
        rows.addAll(SyntheticRows.rows(2, 1_000, 1_000, 5_000, 0.01, 30 * day));
        rows.addAll(SyntheticRows.rows(3, 1_000, 1_000, 5_000, 0.01, 40 * day));
        TimeSplit split = TimeSplit.lastDays(rows, Instant.ofEpochMilli(50 * day), 10, 10);

        DesignComparison comparison = DesignComparison.run(List.of(FeatureDesign.linear(), FeatureDesign.thermalHinge()),
                new LambdaSearch(), split);

        // Then the hinge design wins on validation, and beats the straight line on held-out rows too
        assertThat(comparison.candidates()).hasSize(2);
        assertThat(comparison.chosen()).isSameAs(comparison.candidates().stream()
                .min(Comparator.comparingDouble(DesignComparison.Candidate::validationScore)).orElseThrow());
        assertThat(comparison.chosen().design().name()).isEqualTo("thermal-hinge-v2");
        DesignComparison.Candidate linear = comparison.candidates().get(0);
        assertThat(comparison.chosen().holdout().maeEnergyKwh()).isLessThan(0.5 * linear.holdout().maeEnergyKwh());
        assertThat(comparison.chosen().holdout().rows()).isEqualTo(1_000);
        // and both are scored against persistence on the same rows
        assertThat(comparison.chosen().validationScore())
                .isEqualTo(comparison.chosen().fitted().validation().relativeTo(comparison.persistenceValidation()));
        assertThat(comparison.persistenceHoldout()).isEqualTo(ModelErrors.persistence(split.holdout()));
    }
}
