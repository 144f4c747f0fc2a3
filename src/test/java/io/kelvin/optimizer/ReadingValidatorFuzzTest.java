package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kelvin.errors.InvalidRecordException;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Fuzzes the optimizer's edge: the validator and the timestamp extractor. A reading either fails
 * validation with an {@link InvalidRecordException} (a dead letter with a reason) or is one the
 * optimizer can use: key equal to a non-blank building id, known metric, finite value in range,
 * not dated past the allowed future, in a window still open. The extractor never returns a
 * timestamp that is negative or beyond the allowed future (either would stall or close windows).
 *
 * <p>Under {@code mvn verify} this replays the seed corpus under
 * {@code src/test/resources/io/kelvin/optimizer/ReadingValidatorFuzzTestInputs/}.
 */
class ReadingValidatorFuzzTest {
    private static final long WALL_MS = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();
    private static final long MAX_FUTURE_MS = 3_600_000;
    private static final long WINDOW_MS = 600_000;
    private static final long GRACE_MS = 120_000;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(WALL_MS), ZoneOffset.UTC);

    private final ReadingValidator validator = new ReadingValidator(CLOCK, MAX_FUTURE_MS, WINDOW_MS, GRACE_MS);
    private final ReadingTimestampExtractor extractor = new ReadingTimestampExtractor(CLOCK, MAX_FUTURE_MS);

    @FuzzTest(maxDuration = "60s")
    void validatorPassesOnlyUsableReadings(FuzzedDataProvider data) {
        String key = data.consumeBoolean() ? null : data.consumeString(12);
        String buildingId = data.consumeBoolean() && key != null ? key : data.consumeString(12);
        Metric metric = data.pickValue(Metric.values());
        double value = data.consumeDouble();
        long observedAt = data.consumeBoolean() ? WALL_MS + data.consumeLong(-86_400_000L, 86_400_000L) : data.consumeLong();
        long streamTime = data.consumeBoolean() ? WALL_MS + data.consumeLong(-86_400_000L, 0) : data.consumeLong(-1, Long.MAX_VALUE);
        SensorReading reading = data.consumeBoolean() ? null : SensorReading.newBuilder()
                .setBuildingId(buildingId).setDeviceId("fuzz").setMetric(metric)
                .setValue(value).setObservedAt(Instant.ofEpochMilli(observedAt)).build();

        try {
            validator.validate(key, reading, streamTime);
        } catch (InvalidRecordException rejected) {
            assertThat(rejected.reason()).isNotNull();
            assertThat(rejected.getMessage()).isNotBlank();
            return;
        }
        assertThat(key).isNotBlank().isEqualTo(reading.getBuildingId());
        double[] range = ReadingValidator.PLAUSIBLE.get(metric);
        assertThat(range).isNotNull();
        // Compared with <= rather than AssertJ's isBetween, which orders -0.0 below 0.0.
        assertThat(Double.isFinite(value) && value >= range[0] && value <= range[1])
                .as("%s value %s within [%s, %s]", metric, value, range[0], range[1]).isTrue();
        assertThat(observedAt).isBetween(0L, WALL_MS + MAX_FUTURE_MS);
        // The window of observedAt is still open: end + grace > stream time, in exact arithmetic.
        BigInteger start = BigInteger.valueOf(observedAt).subtract(BigInteger.valueOf(Math.floorMod(observedAt, WINDOW_MS)));
        assertThat(start.add(BigInteger.valueOf(WINDOW_MS + GRACE_MS))).isGreaterThan(BigInteger.valueOf(streamTime));
    }

    @FuzzTest(maxDuration = "30s")
    void extractorNeverReturnsANegativeOrFutureTimestamp(FuzzedDataProvider data) {
        long observedAt = data.consumeLong();
        long recordTimestamp = data.consumeLong();
        long partitionTime = data.consumeBoolean() ? -1 : data.consumeLong(0, WALL_MS + MAX_FUTURE_MS);
        Object value = data.consumeBoolean() ? null : SensorReading.newBuilder()
                .setBuildingId("b1").setDeviceId("fuzz").setMetric(Metric.ZONE_TEMPERATURE_C)
                .setValue(21).setObservedAt(Instant.ofEpochMilli(observedAt)).build();
        ConsumerRecord<Object, Object> record = new ConsumerRecord<>("kelvin.readings", 0, 0, recordTimestamp,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, "b1", value,
                new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());

        long extracted = extractor.extract(record, partitionTime);

        assertThat(extracted).isGreaterThanOrEqualTo(0L);
        if (value != null) {
            assertThat(extracted).isLessThanOrEqualTo(WALL_MS + MAX_FUTURE_MS);
        }
    }
}
