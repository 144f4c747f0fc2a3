package io.kelvin.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.schema.Feedback;
import io.kelvin.schema.SetpointSource;
import io.kelvin.schema.TrainingDecision;
import io.kelvin.schema.TrainingReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelProgressTest {
    private static final LocalDate MONDAY = LocalDate.parse("2026-11-16");
    private static final LocalDate TUESDAY = LocalDate.parse("2026-11-17");

    @Test
    void shouldTellTheKindOfModelByItsVersion() {
        assertThat(ModelProgress.served("bundled-20250210-9b32d74654b8")).isEqualTo(ModelProgress.Served.BUNDLED);
        assertThat(ModelProgress.served("2026-11-16-__global__-0123abcd")).isEqualTo(ModelProgress.Served.POOLED);
        assertThat(ModelProgress.served("2026-11-16-building-006-0123abcd")).isEqualTo(ModelProgress.Served.OWN);
    }

    @Test
    void shouldAverageAbsoluteErrorsPerDayAndCountFallbacksWithoutAnError() {
        ModelProgress progress = new ModelProgress();
        progress.add(feedback("2026-11-16T09:00:00Z", "bundled-1", 2.0, 3.0, 21.0, 20.5));
        progress.add(feedback("2026-11-16T09:10:00Z", "bundled-1", 2.0, 1.0, 21.0, 21.3));
        progress.add(feedback("2026-11-16T09:20:00Z", null, null, 1.0, null, 21.3));
        progress.add(feedback("2026-11-17T09:00:00Z", "2026-11-16-building-1-ab", 2.0, 2.2, 21.0, 21.1));

        assertThat(progress.energyMae(MONDAY)).isCloseTo(1.0, within(1e-12));
        assertThat(progress.indoorMae(MONDAY)).isCloseTo(0.4, within(1e-12));
        assertThat(progress.energyMae(TUESDAY)).isCloseTo(0.2, within(1e-12));
        assertThat(progress.indoorMae(TUESDAY)).isCloseTo(0.1, within(1e-12));
        assertThat(progress.energyMae(LocalDate.parse("2026-11-18"))).isNaN();

        progress.add(report("2026-11-17T02:00:00Z", "building-1", TrainingDecision.PROMOTED));
        progress.add(report("2026-11-17T02:00:00Z", "building-2", TrainingDecision.KEPT_CHAMPION));
        progress.add(report("2026-11-17T02:00:00Z", "building-3", TrainingDecision.INSUFFICIENT_DATA));
        progress.add(report("2026-11-17T02:00:00Z", "__global__", TrainingDecision.PROMOTED));
        String printed = print(progress);
        assertThat(printed).containsPattern("2026-11-16 +3 +1.000 +0.400 +2/0/0 +-")
                .containsPattern("2026-11-17 +1 +0.200 +0.100 +0/0/1 +\\+1/1/1; new");
    }

    @Test
    void shouldTellAPooledModelKeptFromOneNotTrained() {
        ModelProgress progress = new ModelProgress();
        progress.add(report("2026-11-17T02:00:00Z", "__global__", TrainingDecision.INSUFFICIENT_DATA));
        progress.add(report("2026-11-18T02:00:00Z", "__global__", TrainingDecision.KEPT_CHAMPION));
        String printed = print(progress);
        assertThat(printed).containsPattern("2026-11-17 .* \\+0/0/0; none").containsPattern("2026-11-18 .* \\+0/0/0; kept");
    }

    private static String print(ModelProgress progress) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        progress.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Feedback feedback(String decidedAt, String version, Double predictedKwh, double observedKwh, Double predictedC,
                                     Double observedC) {
        Instant at = Instant.parse(decidedAt);
        return Feedback.newBuilder()
                .setDecisionId("b@" + decidedAt).setBuildingId("b").setDecidedAt(at)
                .setObservedWindowStart(at).setObservedWindowEnd(at.plusSeconds(600))
                .setSetpointC(21.0).setSource(version == null ? SetpointSource.FALLBACK : SetpointSource.MODEL)
                .setModelVersion(version).setFeatures(Map.of())
                .setPredictedEnergyKwh(predictedKwh).setPredictedIndoorC(predictedC)
                .setObservedEnergyKwh(observedKwh).setObservedIndoorC(observedC)
                .build();
    }

    private static TrainingReport report(String startedAt, String key, TrainingDecision decision) {
        return TrainingReport.newBuilder()
                .setModelKey(key).setTrainingDay(LocalDate.parse(startedAt.substring(0, 10)).minusDays(1))
                .setStartedAt(Instant.parse(startedAt)).setDurationMs(5).setTrainingRows(100).setHoldoutRows(10)
                .setDecision(decision)
                .build();
    }
}
