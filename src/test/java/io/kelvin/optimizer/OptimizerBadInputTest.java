package io.kelvin.optimizer;

import static io.kelvin.optimizer.OptimizerFixture.office;
import static io.kelvin.optimizer.OptimizerFixture.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.errors.DeadLetterReason;
import io.kelvin.errors.DeadLetters;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input at scale: 10,000 bad readings of every kind Kelvin knows, interleaved at random with
 * the good readings of ten buildings over six windows. The stream must not stop; every bad record
 * must be accounted for under its reason (a dead letter carrying the reason and the source offset,
 * and the per-reason counter); every good record must be aggregated exactly once, and each closed
 * window must give exactly one setpoint inside the building's limits.
 *
 * <p>The seed is printed; rerun a failure with {@code -Dkelvin.badinput.seed=<seed>}.
 */
class OptimizerBadInputTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z"); // a window start, before the fixture's wall clock
    private static final int BUILDINGS = 10;
    private static final int WINDOWS = 6;
    private static final int BAD_RECORDS = 10_000;
    private static final int READINGS_PER_MINUTE = 3; // zone, outdoor, power

    /** Each kind of bad record and the reason it must be dead-lettered with. */
    enum Bad {
        RANDOM_BYTES(DeadLetterReason.DESERIALIZATION_FAILED),
        UNKNOWN_SCHEMA_ID(DeadLetterReason.DESERIALIZATION_FAILED),
        WRONG_SCHEMA(DeadLetterReason.DESERIALIZATION_FAILED),
        TRUNCATED(DeadLetterReason.DESERIALIZATION_FAILED),
        NAN(DeadLetterReason.NON_FINITE_VALUE),
        POSITIVE_INFINITY(DeadLetterReason.NON_FINITE_VALUE),
        NEGATIVE_INFINITY(DeadLetterReason.NON_FINITE_VALUE),
        OUT_OF_RANGE(DeadLetterReason.OUT_OF_RANGE),
        FAR_FUTURE(DeadLetterReason.FUTURE_TIMESTAMP),
        MISSING_BUILDING_ID(DeadLetterReason.MISSING_BUILDING_ID),
        KEY_NOT_BUILDING_ID(DeadLetterReason.KEY_MISMATCH),
        UNKNOWN_METRIC(DeadLetterReason.UNKNOWN_METRIC),
        NULL_KEY(DeadLetterReason.NULL_KEY),
        NULL_VALUE(DeadLetterReason.NULL_VALUE),
        LATE(DeadLetterReason.LATE);

        final DeadLetterReason reason;

        Bad(DeadLetterReason reason) {
            this.reason = reason;
        }
    }

    private OptimizerFixture fx;
    private long nextOffset; // offset of the next record piped to the readings topic
    private final Map<Long, DeadLetterReason> expectedByOffset = new HashMap<>();
    private final Map<DeadLetterReason, Integer> expectedByReason = new EnumMap<>(DeadLetterReason.class);

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void shouldAccountForEveryBadRecordByReasonAndAggregateEveryGoodOneExactlyOnce() {
        long seed = Long.getLong("kelvin.badinput.seed", System.nanoTime());
        System.out.println("OptimizerBadInputTest seed " + seed);
        Random random = new Random(seed);
        fx = new OptimizerFixture(new PhysicsPredictor());
        for (int b = 0; b < BUILDINGS; b++) {
            fx.buildings.pipeInput(building(b), office(building(b)));
        }
        int goodPerWindow = 10 * READINGS_PER_MINUTE * BUILDINGS;
        int goodTotal = WINDOWS * goodPerWindow;
        double badPerGood = (double) BAD_RECORDS / goodTotal;
        int bad = 0;
        int good = 0;
        WindowStore<String, BuildingWindow> windows = fx.driver.getWindowStore(OptimizerTopology.WINDOW_STORE);

        for (int w = 0; w < WINDOWS; w++) {
            Instant windowStart = T0.plus(Duration.ofMinutes(10L * w));
            for (int m = 0; m < 10; m++) {
                Instant now = windowStart.plusSeconds(60L * m);               // stream time follows the good readings
                for (int b = 0; b < BUILDINGS; b++) {
                    for (Metric metric : List.of(Metric.ZONE_TEMPERATURE_C, Metric.OUTDOOR_TEMPERATURE_C, Metric.HVAC_POWER_KW)) {
                        pipeGood(reading(building(b), metric, goodValue(metric, b, m), now));
                        good++;
                        // Bad records at the current stream time, so none of them moves a window.
                        int target = good == goodTotal ? BAD_RECORDS : (int) Math.round(good * badPerGood);
                        while (bad < target) {
                            pipeBad(Bad.values()[random.nextInt(Bad.values().length)], random, now, b);
                            bad++;
                        }
                    }
                }
            }
            // Just before window w closes (stream time end - 1 min, grace 2 min): each building's
            // aggregate holds exactly its 30 good readings, none lost, none counted twice.
            for (int b = 0; b < BUILDINGS; b++) {
                BuildingWindow aggregate = windows.fetch(building(b), windowStart.toEpochMilli());
                assertThat(aggregate).as("window %s of %s", windowStart, building(b)).isNotNull();
                assertThat(aggregate.getReadings()).as("readings in window %s of %s", windowStart, building(b))
                        .isEqualTo(10L * READINGS_PER_MINUTE);
                assertThat(aggregate.getMetrics().get(Metric.ZONE_TEMPERATURE_C.name()).getSum())
                        .isEqualTo(Arrays.stream(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
                                .mapToDouble(m -> goodValue(Metric.ZONE_TEMPERATURE_C, 0, m)).sum());
            }
        }
        Instant closing = T0.plus(Duration.ofMinutes(10L * WINDOWS + 2));  // last window's end + grace
        for (int b = 0; b < BUILDINGS; b++) {
            pipeGood(reading(building(b), Metric.ZONE_TEMPERATURE_C, 21, closing));
        }

        assertThat(bad).isEqualTo(BAD_RECORDS);
        assertThat(expectedByReason.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(BAD_RECORDS);
        // Every reason counted exactly as often as it was sent.
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            assertThat(fx.deadLetters.count(reason)).as("dead letters counted as %s (seed %s)", reason.code(), seed)
                    .isEqualTo(expectedByReason.getOrDefault(reason, 0).doubleValue());
        }
        // Every dead letter the topic received names the source offset of a bad record and that
        // record's reason; each bad offset appears once. TopologyTestDriver does not capture the
        // dead letters of the deserialization path (OptimizerIntegrationTest checks those on a
        // broker), so those are accounted for by their counter above.
        Set<Long> seen = new HashSet<>();
        for (TestRecord<byte[], byte[]> letter : fx.deadLetterTopic.readRecordsToList()) {
            long offset = Long.parseLong(header(letter, "__streams.errors.offset"));
            assertThat(seen.add(offset)).as("offset %s dead-lettered once", offset).isTrue();
            assertThat(header(letter, DeadLetters.REASON_HEADER)).as("reason of offset %s (seed %s)", offset, seed)
                    .isEqualTo(expectedByOffset.get(offset) == null ? "not a bad record" : expectedByOffset.get(offset).code());
            assertThat(header(letter, DeadLetters.MESSAGE_HEADER)).isNotBlank();
        }
        long undecodable = expectedByOffset.values().stream().filter(r -> r == DeadLetterReason.DESERIALIZATION_FAILED).count();
        assertThat(seen).hasSize(BAD_RECORDS - (int) undecodable);
        assertThat(fx.droppedRecordsTotal()).isEqualTo((double) BAD_RECORDS);

        // One setpoint per building per closed window, each decision once, inside the limits.
        List<SetpointCommand> commands = fx.setpoints.readValuesToList();
        assertThat(commands).hasSize(BUILDINGS * WINDOWS);
        assertThat(commands.stream().map(SetpointCommand::getDecisionId).distinct().count()).isEqualTo(BUILDINGS * WINDOWS);
        for (SetpointCommand c : commands) {
            assertThat(c.getSetpointC()).isBetween(16.0, 26.0);
            assertThat(Math.abs(c.getSetpointC() - c.getPreviousSetpointC())).isLessThanOrEqualTo(0.5 + 1e-9);
        }
        assertThat(fx.metrics.windowsClosed()).isEqualTo((double) BUILDINGS * WINDOWS);
    }

    private static String building(int b) {
        return "b" + b;
    }

    /** Good values vary with the minute, so a lost or repeated reading changes the window's sum. */
    private static double goodValue(Metric metric, int building, int minute) {
        return switch (metric) {
            case ZONE_TEMPERATURE_C -> 20.0 + 0.125 * minute;
            case OUTDOOR_TEMPERATURE_C -> 5.0 + building;
            default -> 20.0 + minute;
        };
    }

    private void pipeGood(SensorReading r) {
        fx.pipe(r);
        nextOffset++;
    }

    private void pipeBad(Bad kind, Random random, Instant now, int b) {
        String id = building(b);
        String topic = fx.topics.readings().name();
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        switch (kind) {
            case RANDOM_BYTES -> {
                byte[] bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
                if (bytes.length >= 5) {
                    bytes[0] = (byte) (1 + random.nextInt(255)); // not the wire format's magic byte
                }
                fx.rawReadings.pipeInput(key, bytes, now);
            }
            case UNKNOWN_SCHEMA_ID -> {
                byte[] bytes = fx.serdes.reading().serializer().serialize(topic, reading(id, Metric.ZONE_TEMPERATURE_C, 21, now));
                ByteBuffer.wrap(bytes).putInt(1, 10_000 + random.nextInt(1_000_000));
                fx.rawReadings.pipeInput(key, bytes, now);
            }
            case WRONG_SCHEMA -> fx.rawReadings.pipeInput(key, fx.serdes.profile().serializer().serialize(topic, office(id)), now);
            case TRUNCATED -> {
                byte[] bytes = fx.serdes.reading().serializer().serialize(topic, reading(id, Metric.ZONE_TEMPERATURE_C, 21, now));
                fx.rawReadings.pipeInput(key, Arrays.copyOf(bytes, bytes.length - 1 - random.nextInt(bytes.length - 5)), now);
            }
            case NAN -> fx.pipe(reading(id, Metric.ZONE_TEMPERATURE_C, Double.NaN, now));
            case POSITIVE_INFINITY -> fx.pipe(reading(id, Metric.HVAC_POWER_KW, Double.POSITIVE_INFINITY, now));
            case NEGATIVE_INFINITY -> fx.pipe(reading(id, Metric.OUTDOOR_TEMPERATURE_C, Double.NEGATIVE_INFINITY, now));
            case OUT_OF_RANGE -> fx.pipe(reading(id, Metric.ZONE_TEMPERATURE_C, 61 + random.nextInt(1_000), now));
            case FAR_FUTURE -> fx.readings.pipeInput(id,
                    reading(id, Metric.ZONE_TEMPERATURE_C, 21, OptimizerFixture.WALL_CLOCK.plus(Duration.ofDays(1 + random.nextInt(3_650)))), now);
            case MISSING_BUILDING_ID -> fx.readings.pipeInput(id, reading("", Metric.ZONE_TEMPERATURE_C, 21, now), now);
            case KEY_NOT_BUILDING_ID -> fx.readings.pipeInput(building((b + 1) % BUILDINGS),
                    reading(id, Metric.ZONE_TEMPERATURE_C, 21, now), now);
            case UNKNOWN_METRIC -> fx.pipe(reading(id, Metric.UNKNOWN, 1, now));
            case NULL_KEY -> fx.readings.pipeInput(null, reading(id, Metric.ZONE_TEMPERATURE_C, 21, now), now);
            case NULL_VALUE -> fx.readings.pipeInput(id, null, now);
            case LATE -> fx.pipe(reading(id, Metric.ZONE_TEMPERATURE_C, 21, T0.minus(Duration.ofMinutes(30))));
        }
        expectedByOffset.put(nextOffset, kind.reason);
        expectedByReason.merge(kind.reason, 1, Integer::sum);
        nextOffset++;
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
