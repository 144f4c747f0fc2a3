package io.kelvin.serde;

import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.MetricStats;
import io.kelvin.schema.PowerSample;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * The value serde of the optimizer's window store. Kafka Streams reads a window's aggregate from
 * the store and writes it back on every reading, so its encoding is paid twice per reading. With
 * Avro's generic encoder that was a third of the stream thread in the 10k-building bench; the
 * compact encoding below is about four times cheaper and a fifth smaller, and lifted the
 * optimizer's steady-state throughput by about half (BENCHMARKS.md, "The window aggregate's
 * encoding").
 *
 * <p>Both encodings are always read: the Confluent wire format (first byte 0, {@link AvroSerde})
 * and the compact one (first byte {@value #COMPACT}). A store written before the compact encoding
 * existed, or by an instance set to {@link Encoding#AVRO}, restores and reads as before.
 *
 * <p>Compact, version {@value #COMPACT}: Kafka's varints ({@link ByteUtils}: unsigned for lengths,
 * counts and tags, zig-zag for longs), doubles and epoch milliseconds as 8 bytes (big-endian), in
 * this order:
 * <pre>
 * byte      1
 * uvarint   length of buildingId in UTF-8, then its bytes
 * varlong   readings
 * uvarint   number of metrics, then for each:
 *             uvarint tag: 1 + the metric's index in {@link #METRIC_TAGS}, or 0 followed by
 *                     the name's length in UTF-8 and its bytes (a name this list does not know)
 *             varlong count; double sum, min, max, last; long lastObservedAt
 * uvarint   number of power samples, then for each (sorted by time):
 *             varlong observedAt minus the previous sample's (the first: epoch ms); double kw
 * </pre>
 *
 * <p>Decoding failures (truncated, trailing or forged bytes, an unknown format) throw {@link
 * SerializationException} naming the topic. Null passes through as null. Thread-safe.
 */
public final class BuildingWindowSerde implements Serde<BuildingWindow> {

    /** What the serializer writes; the deserializer reads both. */
    public enum Encoding {
        /** Kelvin's own binary encoding (the default). */
        COMPACT,
        /** Avro in the Confluent wire format, readable by Kelvin versions without the compact encoding. */
        AVRO;

        /** The encoding named by a setting's value, case-insensitively. */
        public static Encoding of(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    static final byte COMPACT = 1;
    /**
     * The metric names the compact encoding writes as a tag, by position. Stored windows refer to
     * these positions: never reorder or remove one. A name missing here is written out in full,
     * which every version reads; a tag it does not know an older version cannot read. So add a new
     * metric here one release after the metric itself, when no instance older than it is left.
     */
    static final List<String> METRIC_TAGS = List.of("UNKNOWN", "ZONE_TEMPERATURE_C", "OUTDOOR_TEMPERATURE_C",
            "SUPPLY_AIR_TEMPERATURE_C", "RELATIVE_HUMIDITY_PCT", "CO2_PPM", "OCCUPANCY_COUNT", "HVAC_POWER_KW", "SETPOINT_C");
    private static final int UNTAGGED = 0;
    private static final int LAST_OBSERVED_AT = MetricStats.SCHEMA$.getField("lastObservedAt").pos();
    private static final int OBSERVED_AT = PowerSample.SCHEMA$.getField("observedAt").pos();
    /** Tag of each known name; looked up by the name a window's map holds. */
    private static final Map<String, Integer> TAGS = new HashMap<>();

    static {
        for (int i = 0; i < METRIC_TAGS.size(); i++) {
            TAGS.put(METRIC_TAGS.get(i), i + 1);
        }
    }

    private final AvroSerde<BuildingWindow> avro;
    private final Encoding writes;

    public BuildingWindowSerde(AvroSerde<BuildingWindow> avro, Encoding writes) {
        this.avro = avro;
        this.writes = writes;
    }

    @Override
    public Serializer<BuildingWindow> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<BuildingWindow> deserializer() {
        return this::deserialize;
    }

    byte[] serialize(String topic, BuildingWindow window) {
        if (window == null) {
            return null;
        }
        return writes == Encoding.AVRO ? avro.serialize(topic, window) : compact(window);
    }

    BuildingWindow deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        if (payload.length > 0 && payload[0] == AvroSerde.MAGIC_BYTE) {
            return avro.deserialize(topic, payload);
        }
        if (payload.length == 0 || payload[0] != COMPACT) {
            throw new SerializationException("Cannot deserialize a window from topic " + topic + ": "
                    + (payload.length == 0 ? "empty payload" : "unknown format " + payload[0]
                    + " (0: Confluent wire format, " + COMPACT + ": compact; a newer Kelvin may have written it)"));
        }
        try {
            return fromCompact(ByteBuffer.wrap(payload, 1, payload.length - 1));
        } catch (BufferUnderflowException e) {
            throw new SerializationException("Cannot deserialize a window from topic " + topic + ": truncated ("
                    + payload.length + " bytes)", e);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Cannot deserialize a window from topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private static byte[] compact(BuildingWindow window) {
        byte[] id = window.getBuildingId().getBytes(StandardCharsets.UTF_8);
        Map<String, MetricStats> metrics = window.getMetrics();
        List<PowerSample> samples = window.getPowerSamples();

        int size = 1 + ByteUtils.sizeOfUnsignedVarint(id.length) + id.length + ByteUtils.sizeOfVarlong(window.getReadings())
                + ByteUtils.sizeOfUnsignedVarint(metrics.size()) + ByteUtils.sizeOfUnsignedVarint(samples.size());
        for (Map.Entry<String, MetricStats> e : metrics.entrySet()) {
            Integer tag = TAGS.get(e.getKey());
            int name = tag != null ? 0 : e.getKey().getBytes(StandardCharsets.UTF_8).length;
            size += (tag != null ? ByteUtils.sizeOfUnsignedVarint(tag) : 1 + ByteUtils.sizeOfUnsignedVarint(name) + name)
                    + ByteUtils.sizeOfVarlong(e.getValue().getCount()) + 4 * Double.BYTES + Long.BYTES;
        }
        long previous = 0;
        for (PowerSample sample : samples) {
            long at = sample.getObservedAt().toEpochMilli();
            size += ByteUtils.sizeOfVarlong(at - previous) + Double.BYTES;
            previous = at;
        }

        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(COMPACT);
        ByteUtils.writeUnsignedVarint(id.length, out);
        out.put(id);
        ByteUtils.writeVarlong(window.getReadings(), out);
        ByteUtils.writeUnsignedVarint(metrics.size(), out);
        for (Map.Entry<String, MetricStats> e : metrics.entrySet()) {
            Integer tag = TAGS.get(e.getKey());
            if (tag != null) {
                ByteUtils.writeUnsignedVarint(tag, out);
            } else {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                ByteUtils.writeUnsignedVarint(UNTAGGED, out);
                ByteUtils.writeUnsignedVarint(name.length, out);
                out.put(name);
            }
            MetricStats s = e.getValue();
            ByteUtils.writeVarlong(s.getCount(), out);
            out.putDouble(s.getSum()).putDouble(s.getMin()).putDouble(s.getMax()).putDouble(s.getLast());
            out.putLong(s.getLastObservedAt().toEpochMilli());
        }
        ByteUtils.writeUnsignedVarint(samples.size(), out);
        previous = 0;
        for (PowerSample sample : samples) {
            long at = sample.getObservedAt().toEpochMilli();
            ByteUtils.writeVarlong(at - previous, out);
            out.putDouble(sample.getKw());
            previous = at;
        }
        return out.array();
    }

    /*
     * Records are filled field by field: the generated constructors box every number, and they and
     * the Instant setters truncate each Instant to milliseconds, which these already are.
     */
    private static BuildingWindow fromCompact(ByteBuffer in) {
        String buildingId = new String(bytes(in, length(in, "building id")), StandardCharsets.UTF_8);
        long readings = ByteUtils.readVarlong(in);

        int metricCount = length(in, "metric count");
        // Sized as the aggregator's own map grows, so a decoded window iterates, and re-encodes, alike.
        Map<String, MetricStats> metrics = new HashMap<>(Math.max(16, metricCount * 4 / 3 + 1));
        for (int i = 0; i < metricCount; i++) {
            String name = metricName(in);
            MetricStats stats = new MetricStats();
            stats.setCount(ByteUtils.readVarlong(in));
            stats.setSum(in.getDouble());
            stats.setMin(in.getDouble());
            stats.setMax(in.getDouble());
            stats.setLast(in.getDouble());
            stats.put(LAST_OBSERVED_AT, Instant.ofEpochMilli(in.getLong()));
            if (metrics.put(name, stats) != null) {
                throw new IllegalArgumentException("metric " + name + " appears twice");
            }
        }

        int sampleCount = length(in, "power sample count");
        List<PowerSample> samples = new ArrayList<>(sampleCount + 1); // room for the next reading's sample
        long at = 0;
        for (int i = 0; i < sampleCount; i++) {
            at += ByteUtils.readVarlong(in);
            PowerSample sample = new PowerSample();
            sample.put(OBSERVED_AT, Instant.ofEpochMilli(at));
            sample.setKw(in.getDouble());
            samples.add(sample);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " trailing bytes after the window");
        }
        BuildingWindow window = new BuildingWindow();
        window.setBuildingId(buildingId);
        window.setReadings(readings);
        window.setMetrics(metrics);
        window.setPowerSamples(samples);
        return window;
    }

    /**
     * A length or count; never more than the bytes left, so a forged one fails here instead of
     * allocating (every element takes at least one byte).
     */
    private static int length(ByteBuffer in, String what) {
        int n = ByteUtils.readUnsignedVarint(in);
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException(what + " " + Integer.toUnsignedString(n) + " exceeds the " + in.remaining() + " bytes left");
        }
        return n;
    }

    private static byte[] bytes(ByteBuffer in, int n) {
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }

    /** A tagged name is the list's own constant: no copy, and its hash is cached. */
    private static String metricName(ByteBuffer in) {
        int tag = ByteUtils.readUnsignedVarint(in);
        if (tag == UNTAGGED) {
            return new String(bytes(in, length(in, "metric name")), StandardCharsets.UTF_8);
        }
        if (tag < 0 || tag > METRIC_TAGS.size()) {
            throw new IllegalArgumentException("unknown metric tag " + Integer.toUnsignedString(tag));
        }
        return METRIC_TAGS.get(tag - 1);
    }
}
