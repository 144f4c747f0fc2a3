package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.Metric;
import io.kelvin.schema.MetricStats;
import io.kelvin.schema.SensorReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A window's aggregate does not depend on the order its readings arrive in (within grace).
 * Seeded; a failure prints its seed, replay with {@code -Dkelvin.seed=N}.
 */
class WindowAggregatorPropertyTest {
    private static final long SEED = Long.getLong("kelvin.seed", System.nanoTime());
    private static final long START = Instant.parse("2026-11-23T09:00:00Z").toEpochMilli();
    private static final long END = START + 600_000;
    private static final Metric[] METRICS = {Metric.ZONE_TEMPERATURE_C, Metric.OUTDOOR_TEMPERATURE_C, Metric.HVAC_POWER_KW, Metric.CO2_PPM};

    @Test
    void shouldGiveTheSameAggregateForAnyArrivalOrder() {
        Random random = new Random(SEED);
        for (int c = 0; c < 500; c++) {
            List<SensorReading> readings = new ArrayList<>();
            int n = 1 + random.nextInt(60);
            for (int i = 0; i < n; i++) {
                // Coarse timestamps on purpose: ties must resolve the same way too.
                Instant at = Instant.ofEpochMilli(START + random.nextInt(20) * 30_000L);
                readings.add(OptimizerFixture.reading("b1", METRICS[random.nextInt(METRICS.length)], Math.round(random.nextDouble() * 400) / 10.0, at));
            }
            List<SensorReading> shuffled = new ArrayList<>(readings);
            Collections.shuffle(shuffled, random);
            String context = "seed=" + SEED + " case=" + c;

            BuildingWindow a = aggregate(readings);
            BuildingWindow b = aggregate(shuffled);

            assertThat(b.getReadings()).as(context).isEqualTo(a.getReadings());
            assertThat(b.getPowerSamples()).as(context).isEqualTo(a.getPowerSamples());
            assertThat(b.getMetrics().keySet()).as(context).isEqualTo(a.getMetrics().keySet());
            for (String metric : a.getMetrics().keySet()) {
                MetricStats x = a.getMetrics().get(metric);
                MetricStats y = b.getMetrics().get(metric);
                assertThat(y.getCount()).as(context).isEqualTo(x.getCount());
                assertThat(y.getMin()).as(context).isEqualTo(x.getMin());
                assertThat(y.getMax()).as(context).isEqualTo(x.getMax());
                assertThat(y.getLast()).as(context).isEqualTo(x.getLast());
                assertThat(y.getLastObservedAt()).as(context).isEqualTo(x.getLastObservedAt());
                assertThat(y.getSum()).as(context).isCloseTo(x.getSum(), within(1e-9 * Math.max(1, Math.abs(x.getSum()))));
            }
            assertThat(new WindowSummary(b, START, END).energyKwh()).as(context)
                    .isEqualTo(new WindowSummary(a, START, END).energyKwh());
        }
    }

    @Test
    void shouldIntegratePowerWithAZeroOrderHold() {
        // 12 kW from 09:00, 24 kW from 09:05: 12 × 5/60 + 24 × 5/60 = 3 kWh.
        BuildingWindow w = aggregate(List.of(
                OptimizerFixture.reading("b1", Metric.HVAC_POWER_KW, 24, Instant.ofEpochMilli(START + 300_000)),
                OptimizerFixture.reading("b1", Metric.HVAC_POWER_KW, 12, Instant.ofEpochMilli(START))));
        assertThat(new WindowSummary(w, START, END).energyKwh()).isCloseTo(3.0, within(1e-12));
    }

    @Test
    void shouldEstimateEnergyFromMeanPowerOnceTheSampleCapIsHit() {
        WindowAggregator capped = new WindowAggregator(2);
        BuildingWindow w = WindowAggregator.empty();
        for (int i = 0; i < 4; i++) {
            w = capped.apply("b1", OptimizerFixture.reading("b1", Metric.HVAC_POWER_KW, 10 + i, Instant.ofEpochMilli(START + i * 60_000L)), w);
        }
        assertThat(w.getPowerSamples()).hasSize(2);
        assertThat(new WindowSummary(w, START, END).energyKwh()).isCloseTo(11.5 / 6, within(1e-12));
    }

    private static BuildingWindow aggregate(List<SensorReading> readings) {
        WindowAggregator aggregator = new WindowAggregator(720);
        BuildingWindow w = WindowAggregator.empty();
        for (SensorReading r : readings) {
            w = aggregator.apply("b1", r, w);
        }
        return w;
    }
}
