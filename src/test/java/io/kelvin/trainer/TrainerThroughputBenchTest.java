package io.kelvin.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.ModelContract;
import io.kelvin.model.SimulatedFleetData;
import io.kelvin.model.TrainingRow;
import io.kelvin.schema.TrainingDecision;
import io.kelvin.schema.TrainingReport;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How fast the trainer topology takes in feedback as a fleet's history grows: the demo's trainer
 * settings (every row pooled, 20,000 pooled rows kept, a tick per simulated second) over a
 * simulated fleet, one simulated day after another, with the wall time each day took. A bench,
 * not a timed test: it runs only when asked, for example
 * {@code mvn -Dtest=TrainerThroughputBenchTest -Dkelvin.trainer.bench.buildings=100 -Dkelvin.trainer.bench.days=10 test},
 * and checks only that every building and the pooled model were trained every night, and the
 * pooled model on enough rows from the fifth night on.
 */
class TrainerThroughputBenchTest {

    @Test
    @EnabledIfSystemProperty(named = "kelvin.trainer.bench.buildings", matches = "\\d+")
    void feedbackPerSimulatedDay() {
        int buildings = Integer.getInteger("kelvin.trainer.bench.buildings");
        int days = Integer.getInteger("kelvin.trainer.bench.days", 10);
        SimulatedFleetData.Fleet fleet = TrainerFixture.fleet(buildings, days);
        List<TrainingRow> rows = fleet.rows().stream().sorted(Comparator.comparingLong(TrainingRow::decidedAtMs)).toList();
        long dayMs = Duration.ofDays(1).toMillis();
        try (TrainerFixture fx = new TrainerFixture(Map.of(
                KelvinConfig.TRAINER_MIN_ROWS_CONFIG, "100",
                KelvinConfig.TRAINER_GLOBAL_SAMPLE_RATE_CONFIG, "1.0",
                KelvinConfig.TRAINER_TICK_MS_CONFIG, "1000"))) {
            fleet.profiles().forEach(fx::profile);
            System.out.printf("trainer bench: %d buildings, %d days, %,d feedback rows%n", buildings, days, rows.size());
            long started = System.nanoTime();
            int from = 0;
            while (from < rows.size()) {
                long day = rows.get(from).decidedAtMs() / dayMs;
                int to = from;
                while (to < rows.size() && rows.get(to).decidedAtMs() / dayMs == day) {
                    to++;
                }
                long dayStarted = System.nanoTime();
                rows.subList(from, to).forEach(r -> fx.pipe(TrainerFixture.feedback(r)));
                double seconds = (System.nanoTime() - dayStarted) / 1e9;
                List<TrainingReport> reports = fx.reports.readValuesToList();
                long dayNumber = day - rows.get(0).decidedAtMs() / dayMs + 1;
                long pooled = reports.stream().filter(r -> r.getModelKey().equals(ModelContract.GLOBAL_KEY)).count();
                System.out.printf("  simulated day %d: %,d rows in %.2f s (%,.0f rows/s); reports: %d buildings, %d pooled%n",
                        dayNumber, to - from, seconds, (to - from) / seconds, reports.size() - pooled, pooled);
                if (dayNumber > 1) {
                    // From the second night on, each night trains every building and the pooled model once.
                    assertThat(reports).hasSize(buildings + 1);
                }
                if (dayNumber > 4) {
                    // From the fifth night on the pooled model has the days a training needs.
                    assertThat(reports).filteredOn(r -> r.getModelKey().equals(ModelContract.GLOBAL_KEY))
                            .allSatisfy(r -> assertThat(r.getDecision()).isNotEqualTo(TrainingDecision.INSUFFICIENT_DATA));
                }
                from = to;
            }
            System.out.printf("  total: %,d rows in %.1f s%n", rows.size(), (System.nanoTime() - started) / 1e9);
        }
    }
}
