package io.kelvin.optimizer;

import io.kelvin.errors.DeadLetterReason;
import io.kelvin.errors.InvalidRecordException;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The edge of the optimizer: passes a reading on only if it is usable, and otherwise throws an
 * {@link InvalidRecordException} that Kelvin's processing exception handler sends to the
 * dead-letter topic with its reason. Checks, in order: key and value present, building id present
 * and equal to the key, known metric, finite value within the metric's plausible range,
 * timestamp not before the epoch nor beyond the wall clock plus {@code maxFutureMs}, and window not yet closed (a
 * reading the window operator would drop as late is dead-lettered here instead, so it is kept).
 */
public final class ReadingValidator implements FixedKeyProcessor<String, SensorReading, SensorReading> {

    /** Plausible physical ranges: outside them a sensor is broken or mis-scaled. */
    static final Map<Metric, double[]> PLAUSIBLE = new EnumMap<>(Map.of(
            Metric.ZONE_TEMPERATURE_C, new double[] {-30, 60},
            Metric.OUTDOOR_TEMPERATURE_C, new double[] {-60, 60},
            Metric.SUPPLY_AIR_TEMPERATURE_C, new double[] {-20, 90},
            Metric.RELATIVE_HUMIDITY_PCT, new double[] {0, 100},
            Metric.CO2_PPM, new double[] {0, 10_000},
            Metric.OCCUPANCY_COUNT, new double[] {0, 100_000},
            Metric.HVAC_POWER_KW, new double[] {0, 50_000},
            Metric.SETPOINT_C, new double[] {0, 45}));

    private final Clock clock;
    private final long maxFutureMs;
    private final long windowSizeMs;
    private final long graceMs;
    private final OptimizerMetrics metrics;
    private FixedKeyProcessorContext<String, SensorReading> context;

    public ReadingValidator(Clock clock, long maxFutureMs, long windowSizeMs, long graceMs) {
        this(clock, maxFutureMs, windowSizeMs, graceMs, null);
    }

    /** {@code metrics} counts the readings passed on (none when null). */
    public ReadingValidator(Clock clock, long maxFutureMs, long windowSizeMs, long graceMs, OptimizerMetrics metrics) {
        this.metrics = metrics;
        this.clock = clock;
        this.maxFutureMs = maxFutureMs;
        this.windowSizeMs = windowSizeMs;
        this.graceMs = graceMs;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, SensorReading> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, SensorReading> record) {
        validate(record.key(), record.value(), context.currentStreamTimeMs());
        if (metrics != null) {
            metrics.reading(record.value().getMetric());
        }
        context.forward(record);
    }

    void validate(String key, SensorReading reading, long streamTimeMs) {
        if (key == null) {
            throw new InvalidRecordException(DeadLetterReason.NULL_KEY, "Reading has no key (expected the building id)");
        }
        if (reading == null) {
            throw new InvalidRecordException(DeadLetterReason.NULL_VALUE, "Reading for key '" + key + "' has no value");
        }
        String buildingId = reading.getBuildingId();
        if (buildingId == null || buildingId.isBlank()) {
            throw new InvalidRecordException(DeadLetterReason.MISSING_BUILDING_ID, "Reading has an empty buildingId");
        }
        if (!buildingId.equals(key)) {
            throw new InvalidRecordException(DeadLetterReason.KEY_MISMATCH,
                    "Reading for building '" + buildingId + "' has key '" + key + "'; the key must be the building id");
        }
        double[] range = PLAUSIBLE.get(reading.getMetric());
        if (range == null) {
            throw new InvalidRecordException(DeadLetterReason.UNKNOWN_METRIC, "Metric " + reading.getMetric() + " is not one Kelvin knows");
        }
        double value = reading.getValue();
        if (!Double.isFinite(value)) {
            throw new InvalidRecordException(DeadLetterReason.NON_FINITE_VALUE, reading.getMetric() + " value is " + value);
        }
        if (value < range[0] || value > range[1]) {
            throw new InvalidRecordException(DeadLetterReason.OUT_OF_RANGE,
                    reading.getMetric() + " value " + value + " is outside the plausible range [" + range[0] + ", " + range[1] + "]");
        }
        long observedAt = reading.getObservedAt().toEpochMilli();
        if (observedAt < 0) {
            // Kafka Streams cannot window a negative timestamp (the extractor substitutes partition
            // time), so a reading dated before 1970 would be aggregated into the wrong window.
            throw new InvalidRecordException(DeadLetterReason.LATE,
                    "observedAt " + reading.getObservedAt() + " is before 1970-01-01T00:00:00Z; its window closed long ago");
        }
        long limit = clock.millis() + maxFutureMs;
        if (observedAt > limit) {
            throw new InvalidRecordException(DeadLetterReason.FUTURE_TIMESTAMP,
                    "observedAt " + reading.getObservedAt() + " is more than " + maxFutureMs + " ms after the wall clock");
        }
        // Same rule as Kafka Streams' window operator: a window accepts records until
        // stream time reaches its end plus the grace period.
        long windowEnd = observedAt - Math.floorMod(observedAt, windowSizeMs) + windowSizeMs;
        if (windowEnd + graceMs <= streamTimeMs) {
            throw new InvalidRecordException(DeadLetterReason.LATE,
                    "observedAt " + reading.getObservedAt() + " belongs to a window that closed (stream time "
                            + java.time.Instant.ofEpochMilli(streamTimeMs) + ", grace " + graceMs + " ms)");
        }
    }
}
