package io.kelvin.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.optimizer.WindowAggregator;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.Metric;
import io.kelvin.schema.MetricStats;
import io.kelvin.schema.PowerSample;
import io.kelvin.schema.SensorReading;
import io.kelvin.serde.BuildingWindowSerde.Encoding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The window store's serde: the compact encoding round-trips every window exactly, and windows
 * written in the Avro wire format (by an older Kelvin, or with {@code
 * kelvin.window.store.encoding=avro}) read back the same. Seeded; a failure prints its seed,
 * replay with {@code -Dkelvin.seed=N}.
 */
class BuildingWindowSerdeTest {
    private static final long SEED = Long.getLong("kelvin.seed", System.nanoTime());
    private static final String SCOPE = "building-window-serde-test";
    private static final String CHANGELOG = "kelvin-optimizer-kelvin-building-windows-changelog";
    private static final Instant START = Instant.parse("2026-12-07T09:00:00Z");

    private final MockSchemaRegistry registry = MockSchemaRegistry.forScope(SCOPE);
    private final AvroSerde<BuildingWindow> avro = new KelvinSerdes(registry).window();
    private final BuildingWindowSerde compact = new BuildingWindowSerde(avro, Encoding.COMPACT);
    private final BuildingWindowSerde writesAvro = new BuildingWindowSerde(avro, Encoding.AVRO);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void shouldRoundTripAnAggregatedWindowInTheCompactEncoding() {
        BuildingWindow window = aggregated();

        byte[] bytes = compact.serializer().serialize(CHANGELOG, window);

        assertThat(bytes[0]).isEqualTo(BuildingWindowSerde.COMPACT);
        assertThat(compact.deserializer().deserialize(CHANGELOG, bytes)).isEqualTo(window);
        assertThat(bytes.length).as("smaller than the same window in Avro").isLessThan(avro.serialize(CHANGELOG, window).length);
    }

    @Test
    void shouldRoundTripAnyWindowExactly() {
        Random random = new Random(SEED);
        for (int c = 0; c < 2_000; c++) {
            BuildingWindow window = randomWindow(random);
            byte[] bytes = compact.serializer().serialize(CHANGELOG, window);
            BuildingWindow back = compact.deserializer().deserialize(CHANGELOG, bytes);

            String context = "seed=" + SEED + " case=" + c + " window=" + window;
            // Field by field with Double.compare: NaN equals NaN, -0.0 differs from 0.0 (Avro's
            // own equals says NaN != NaN); the re-encoding below compares bits.
            assertThat(back).as(context).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(window);
            assertThat(compact.serializer().serialize(CHANGELOG, back)).as(context).isEqualTo(bytes);
        }
    }

    @Test
    void shouldRoundTripTheEmptyWindow() {
        BuildingWindow empty = WindowAggregator.empty();

        assertThat(compact.deserializer().deserialize(CHANGELOG, compact.serializer().serialize(CHANGELOG, empty))).isEqualTo(empty);
    }

    @Test
    void shouldReadWindowsWrittenInTheAvroWireFormat() {
        // What a store written before the compact encoding, or by an instance set to avro, holds.
        BuildingWindow window = aggregated();
        byte[] wire = avro.serialize(CHANGELOG, window);

        assertThat(wire[0]).isZero();
        assertThat(compact.deserializer().deserialize(CHANGELOG, wire)).isEqualTo(window);
        assertThat(writesAvro.deserializer().deserialize(CHANGELOG, compact.serializer().serialize(CHANGELOG, window))).isEqualTo(window);
    }

    @Test
    void shouldWriteTheAvroWireFormatWhenSetToAvro() {
        // An instance of a version without the compact encoding reads what this one writes.
        BuildingWindow window = aggregated();

        byte[] bytes = writesAvro.serializer().serialize(CHANGELOG, window);

        assertThat(bytes).isEqualTo(avro.serialize(CHANGELOG, window));
        assertThat(avro.deserialize(CHANGELOG, bytes)).isEqualTo(window);
    }

    @Test
    void shouldPassNullThrough() {
        assertThat(compact.serializer().serialize(CHANGELOG, null)).isNull();
        assertThat(compact.deserializer().deserialize(CHANGELOG, null)).isNull();
    }

    @Test
    void shouldRejectEveryTruncationOfAValidWindow() {
        byte[] bytes = compact.serializer().serialize(CHANGELOG, aggregated());

        for (int length = 0; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> compact.deserializer().deserialize(CHANGELOG, prefix))
                    .as("first %d of %d bytes", length, bytes.length)
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining(CHANGELOG);
        }
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] bytes = compact.serializer().serialize(CHANGELOG, aggregated());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> compact.deserializer().deserialize(CHANGELOG, longer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("1 trailing bytes");
    }

    @Test
    void shouldRejectAnUnknownFormatNamingIt() {
        assertThatThrownBy(() -> compact.deserializer().deserialize(CHANGELOG, new byte[] {7, 0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(CHANGELOG).hasMessageContaining("unknown format 7");
    }

    @Test
    void shouldRejectAForgedLengthWithoutAllocatingIt() {
        ByteBuffer forged = ByteBuffer.allocate(16);
        forged.put(BuildingWindowSerde.COMPACT);
        ByteUtils.writeUnsignedVarint(Integer.MAX_VALUE, forged); // a 2 GiB building id
        byte[] bytes = Arrays.copyOf(forged.array(), forged.position() + 3);

        assertThatThrownBy(() -> compact.deserializer().deserialize(CHANGELOG, bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("building id 2147483647 exceeds the 3 bytes left");
    }

    @Test
    void shouldRejectAMetricThatAppearsTwice() {
        ByteBuffer forged = ByteBuffer.allocate(128);
        forged.put(BuildingWindowSerde.COMPACT);
        ByteUtils.writeUnsignedVarint(2, forged);
        forged.put(new byte[] {'b', '1'});
        ByteUtils.writeVarlong(2, forged);
        ByteUtils.writeUnsignedVarint(2, forged);
        for (int i = 0; i < 2; i++) {
            ByteUtils.writeUnsignedVarint(0, forged); // untagged: the name follows
            ByteUtils.writeUnsignedVarint(7, forged);
            forged.put("CO2_PPM".getBytes(StandardCharsets.US_ASCII));
            ByteUtils.writeVarlong(1, forged);
            forged.putDouble(400).putDouble(400).putDouble(400).putDouble(400);
            forged.putLong(START.toEpochMilli());
        }
        ByteUtils.writeUnsignedVarint(0, forged);
        byte[] bytes = Arrays.copyOf(forged.array(), forged.position());

        assertThatThrownBy(() -> compact.deserializer().deserialize(CHANGELOG, bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("metric CO2_PPM appears twice");
    }

    @Test
    void shouldKeepTheTagsOfStoredMetricNamesWhereTheyAre() {
        // Windows already stored refer to these positions; a new name may only be appended.
        assertThat(BuildingWindowSerde.METRIC_TAGS).startsWith("UNKNOWN", "ZONE_TEMPERATURE_C", "OUTDOOR_TEMPERATURE_C",
                "SUPPLY_AIR_TEMPERATURE_C", "RELATIVE_HUMIDITY_PCT", "CO2_PPM", "OCCUPANCY_COUNT", "HVAC_POWER_KW", "SETPOINT_C");
    }

    @Test
    void shouldRejectAnUnknownMetricTag() {
        byte[] bytes = compact.serializer().serialize(CHANGELOG, window(Map.of("CO2_PPM", stats(400))));
        int tag = 1 + 1 + 2 + 1 + 1; // after format, id length, "b1", readings, metric count
        assertThat(bytes[tag]).isEqualTo((byte) (BuildingWindowSerde.METRIC_TAGS.indexOf("CO2_PPM") + 1));
        bytes[tag] = (byte) (BuildingWindowSerde.METRIC_TAGS.size() + 1);

        assertThatThrownBy(() -> compact.deserializer().deserialize(CHANGELOG, bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown metric tag 10");
    }

    @Test
    void shouldNameEncodingsCaseInsensitively() {
        assertThat(Encoding.of(" Compact ")).isEqualTo(Encoding.COMPACT);
        assertThat(Encoding.of("AVRO")).isEqualTo(Encoding.AVRO);
    }

    /** A window as the optimizer aggregates it: five metrics a minute for ten minutes. */
    private static BuildingWindow aggregated() {
        WindowAggregator aggregator = new WindowAggregator(720);
        BuildingWindow window = WindowAggregator.empty();
        Metric[] metrics = {Metric.ZONE_TEMPERATURE_C, Metric.OUTDOOR_TEMPERATURE_C, Metric.CO2_PPM, Metric.OCCUPANCY_COUNT, Metric.HVAC_POWER_KW};
        for (int minute = 0; minute < 10; minute++) {
            for (Metric metric : metrics) {
                Instant at = START.plusSeconds(minute * 60L + metric.ordinal());
                window = aggregator.apply("bldg-berlin-017", new SensorReading("bldg-berlin-017", "gw-1", metric,
                        20.0 + minute * 0.37 + metric.ordinal(), at, null), window);
            }
        }
        return window;
    }

    private static BuildingWindow randomWindow(Random random) {
        String[] ids = {"", "b1", "bldg-berlin-017", "Gebäude-Köln-Ø-東京", "x".repeat(300)};
        String[] names = {Metric.ZONE_TEMPERATURE_C.name(), Metric.HVAC_POWER_KW.name(), Metric.CO2_PPM.name(),
                Metric.SETPOINT_C.name(), "A_METRIC_A_NEWER_SCHEMA_ADDS", "ZONE_TEMPERATURE_"};
        Map<String, MetricStats> metrics = new HashMap<>();
        for (int i = random.nextInt(names.length + 1); i > 0; i--) {
            metrics.put(names[random.nextInt(names.length)], new MetricStats(anyLong(random), anyDouble(random), anyDouble(random),
                    anyDouble(random), anyDouble(random), Instant.ofEpochMilli(anyMillis(random))));
        }
        List<PowerSample> samples = new ArrayList<>();
        // Usually sorted, as the aggregator keeps them; sometimes not, which must round-trip too.
        long at = anyMillis(random);
        for (int i = random.nextInt(40); i > 0; i--) {
            at += random.nextInt(10) == 0 ? -random.nextInt(1_000_000) : random.nextInt(120_000);
            samples.add(new PowerSample(Instant.ofEpochMilli(at), anyDouble(random)));
        }
        return new BuildingWindow(ids[random.nextInt(ids.length)], anyLong(random), metrics, samples);
    }

    private static long anyLong(Random random) {
        long[] edges = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE};
        return random.nextInt(4) == 0 ? edges[random.nextInt(edges.length)] : random.nextInt(100_000);
    }

    /** Epoch milliseconds Instant and Avro's timestamp-millis both hold, 1970 and before included. */
    private static long anyMillis(Random random) {
        long[] edges = {0, -1, 253_402_300_799_999L, -62_135_596_800_000L};
        return random.nextInt(6) == 0 ? edges[random.nextInt(edges.length)]
                : START.toEpochMilli() + random.nextInt(2_000_000) - 1_000_000;
    }

    private static double anyDouble(Random random) {
        double[] edges = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE};
        return random.nextInt(5) == 0 ? edges[random.nextInt(edges.length)] : (random.nextDouble() - 0.5) * 1_000;
    }

    private static MetricStats stats(double value) {
        return new MetricStats(1L, value, value, value, value, START);
    }

    private static BuildingWindow window(Map<String, MetricStats> metrics) {
        return new BuildingWindow("b1", 1L, new HashMap<>(metrics), new ArrayList<>());
    }
}
