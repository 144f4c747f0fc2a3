package io.kelvin.optimizer;

import io.kelvin.schema.SensorReading;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Windows on when a reading was observed, not when it was produced.
 *
 * <p>A reading dated too far in the future must not move stream time: one such record would
 * close every open window of its partition and make all later readings "late". Its timestamp is
 * therefore replaced by the partition time (the validator then dead-letters it as
 * future-timestamp from its value).
 */
public final class ReadingTimestampExtractor implements TimestampExtractor {
    private final Clock clock;
    private final long maxFutureMs;

    public ReadingTimestampExtractor(Clock clock, long maxFutureMs) {
        this.clock = clock;
        this.maxFutureMs = maxFutureMs;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof SensorReading reading) {
            long observedAt = reading.getObservedAt().toEpochMilli();
            if (observedAt >= 0 && observedAt <= clock.millis() + maxFutureMs) {
                return observedAt;
            }
            return partitionTime >= 0 ? partitionTime : Math.max(0, Math.min(record.timestamp(), clock.millis()));
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}
