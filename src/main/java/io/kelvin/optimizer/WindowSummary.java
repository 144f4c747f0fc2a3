package io.kelvin.optimizer;

import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.Metric;
import io.kelvin.schema.MetricStats;
import io.kelvin.schema.PowerSample;
import java.util.List;

/** Read-only views of a closed {@link BuildingWindow}. */
public final class WindowSummary {
    private final BuildingWindow window;
    private final long startMs;
    private final long endMs;

    public WindowSummary(BuildingWindow window, long startMs, long endMs) {
        this.window = window;
        this.startMs = startMs;
        this.endMs = endMs;
    }

    public String buildingId() {
        return window.getBuildingId();
    }

    public long startMs() {
        return startMs;
    }

    public long endMs() {
        return endMs;
    }

    public long count(Metric metric) {
        MetricStats s = window.getMetrics().get(metric.name());
        return s == null ? 0 : s.getCount();
    }

    /** Mean of {@code metric}, or NaN when the window has none. */
    public double mean(Metric metric) {
        MetricStats s = window.getMetrics().get(metric.name());
        return s == null ? Double.NaN : s.getSum() / s.getCount();
    }

    /** Latest value of {@code metric}, or NaN when the window has none. */
    public double last(Metric metric) {
        MetricStats s = window.getMetrics().get(metric.name());
        return s == null ? Double.NaN : s.getLast();
    }

    /**
     * HVAC energy over the window in kWh, integrating power with a zero-order hold: each sample
     * holds until the next, the first also back to the window start. Without samples, 0; when
     * the sample cap was hit, mean power times the window length.
     */
    public double energyKwh() {
        List<PowerSample> samples = window.getPowerSamples();
        long powerCount = count(Metric.HVAC_POWER_KW);
        if (samples.isEmpty()) {
            return 0.0;
        }
        double hours = (endMs - startMs) / 3_600_000.0;
        if (samples.size() < powerCount) {
            return mean(Metric.HVAC_POWER_KW) * hours;
        }
        double kwMs = 0;
        long from = startMs;
        double kw = samples.get(0).getKw();
        for (PowerSample s : samples) {
            long t = Math.min(Math.max(s.getObservedAt().toEpochMilli(), startMs), endMs);
            kwMs += kw * (t - from);
            from = t;
            kw = s.getKw();
        }
        kwMs += kw * (endMs - from);
        return kwMs / 3_600_000.0;
    }
}
