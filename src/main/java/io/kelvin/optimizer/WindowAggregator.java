package io.kelvin.optimizer;

import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.Metric;
import io.kelvin.schema.MetricStats;
import io.kelvin.schema.PowerSample;
import io.kelvin.schema.SensorReading;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.kstream.Aggregator;

/**
 * Folds validated readings into a {@link BuildingWindow}. The result does not depend on the order
 * readings arrive in within the grace period: count, min and max are order-free, {@code last} is
 * the value observed latest (ties: the larger value), power samples are kept sorted, and the sum
 * differs at most by floating-point rounding.
 */
public final class WindowAggregator implements Aggregator<String, SensorReading, BuildingWindow> {
    private final int maxPowerSamples;

    public WindowAggregator(int maxPowerSamples) {
        this.maxPowerSamples = maxPowerSamples;
    }

    public static BuildingWindow empty() {
        return BuildingWindow.newBuilder()
                .setBuildingId("")
                .setReadings(0)
                .setMetrics(new HashMap<>())
                .setPowerSamples(new ArrayList<>())
                .build();
    }

    @Override
    public BuildingWindow apply(String buildingId, SensorReading reading, BuildingWindow window) {
        window.setBuildingId(buildingId);
        window.setReadings(window.getReadings() + 1);
        Map<String, MetricStats> metrics = window.getMetrics();
        String metric = reading.getMetric().name();
        double value = reading.getValue();
        java.time.Instant at = reading.getObservedAt();
        MetricStats stats = metrics.get(metric);
        if (stats == null) {
            metrics.put(metric, new MetricStats(1L, value, value, value, value, at));
        } else {
            stats.setCount(stats.getCount() + 1);
            stats.setSum(stats.getSum() + value);
            stats.setMin(Math.min(stats.getMin(), value));
            stats.setMax(Math.max(stats.getMax(), value));
            int cmp = at.compareTo(stats.getLastObservedAt());
            if (cmp > 0 || (cmp == 0 && value > stats.getLast())) {
                stats.setLast(value);
                stats.setLastObservedAt(at);
            }
        }
        if (reading.getMetric() == Metric.HVAC_POWER_KW && window.getPowerSamples().size() < maxPowerSamples) {
            insertSorted(window.getPowerSamples(), new PowerSample(at, value));
        }
        return window;
    }

    private static void insertSorted(List<PowerSample> samples, PowerSample sample) {
        int i = samples.size();
        while (i > 0 && compare(samples.get(i - 1), sample) > 0) {
            i--;
        }
        samples.add(i, sample);
    }

    private static int compare(PowerSample a, PowerSample b) {
        int c = a.getObservedAt().compareTo(b.getObservedAt());
        return c != 0 ? c : Double.compare(a.getKw(), b.getKw());
    }
}
