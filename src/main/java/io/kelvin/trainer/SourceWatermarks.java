package io.kelvin.trainer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How far every upstream feedback partition has got, as the pooled model's task sees it. Each
 * record of the global-sample topic carries, in headers, its source partition and that source
 * task's stream time (its watermark), and whether the source was idle (processed nothing for a
 * while of wall-clock time). The pooled model is due by {@link #globalWatermark}: the minimum over
 * all upstream partitions, so a day trains only once every partition has passed its training
 * hour. Pure.
 *
 * <p>Limits: a partition that never reported counts as not started and holds training back,
 * as does one that is active but behind; an idle partition does not hold it back (what it had
 * has arrived). {@code maxLagMs}, when set, bounds the wait: no partition holds the global
 * watermark more than that behind the most advanced one (off by default: in a replay stream time
 * moves fast, so a bound could train before a slow partition delivered its rows).
 */
final class SourceWatermarks {
    /** The source partition of a global-sample record (int, big-endian). */
    static final String PARTITION_HEADER = "kelvin.source.partition";
    /** The source task's stream time when it forwarded the record (long, big-endian; -1 unknown). */
    static final String WATERMARK_HEADER = "kelvin.source.watermark";
    /** "true" when the source processed nothing for the idle time; absent otherwise. */
    static final String IDLE_HEADER = "kelvin.source.idle";
    /** No watermark is known yet. */
    static final long UNKNOWN = -1;

    /** One upstream partition's progress. */
    record Mark(long watermarkMs, boolean idle) {}

    private SourceWatermarks() {}

    /**
     * The stream time every upstream partition has reached: the minimum watermark of the active
     * partitions among {@code 0 .. max(expectedPartitions, highest seen + 1) - 1} ({@link
     * #UNKNOWN} while one of them has not reported), the highest watermark when all are idle,
     * and never less than the highest minus {@code maxLagMs} ({@code 0}: unbounded).
     */
    static long globalWatermark(Map<Integer, Mark> marks, int expectedPartitions, long maxLagMs) {
        int partitions = expectedPartitions;
        long highest = UNKNOWN;
        for (Map.Entry<Integer, Mark> e : marks.entrySet()) {
            partitions = Math.max(partitions, e.getKey() + 1);
            highest = Math.max(highest, e.getValue().watermarkMs());
        }
        long lowestActive = Long.MAX_VALUE;
        boolean waiting = false;
        for (int p = 0; p < partitions; p++) {
            Mark mark = marks.get(p);
            if (mark == null || (!mark.idle() && mark.watermarkMs() < 0)) {
                waiting = true; // not started: it may yet deliver rows of any day
            } else if (!mark.idle()) {
                lowestActive = Math.min(lowestActive, mark.watermarkMs());
            }
        }
        long global = waiting ? UNKNOWN : lowestActive == Long.MAX_VALUE ? highest : lowestActive;
        if (maxLagMs > 0 && highest >= 0) {
            global = Math.max(global, highest - maxLagMs);
        }
        return global;
    }

    /** Replaces the watermark headers of {@code headers} (which it changes and returns). */
    static Headers stamp(Headers headers, int partition, long watermarkMs, boolean idle) {
        headers.remove(PARTITION_HEADER).remove(WATERMARK_HEADER).remove(IDLE_HEADER);
        headers.add(PARTITION_HEADER, ByteBuffer.allocate(Integer.BYTES).putInt(partition).array());
        headers.add(WATERMARK_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(watermarkMs).array());
        if (idle) {
            headers.add(IDLE_HEADER, "true".getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** The source partition in {@code headers}, or -1 when they carry no well-formed watermark. */
    static int partitionOf(Headers headers) {
        Header p = headers.lastHeader(PARTITION_HEADER);
        Header w = headers.lastHeader(WATERMARK_HEADER);
        if (p == null || w == null || p.value() == null || w.value() == null
                || p.value().length != Integer.BYTES || w.value().length != Long.BYTES) {
            return -1; // e.g. a row written by a trainer before watermarks: it moves no watermark
        }
        return Math.max(-1, ByteBuffer.wrap(p.value()).getInt());
    }

    /** The mark in {@code headers}; call only when {@link #partitionOf} found one. */
    static Mark markOf(Headers headers) {
        long watermark = ByteBuffer.wrap(headers.lastHeader(WATERMARK_HEADER).value()).getLong();
        return new Mark(Math.max(UNKNOWN, watermark), headers.lastHeader(IDLE_HEADER) != null);
    }

    /** Serde of a stored {@link Mark}: the watermark (8 bytes) and the idle flag (1 byte). */
    static Serde<Mark> serde() {
        Serializer<Mark> serializer = (topic, mark) -> mark == null ? null
                : ByteBuffer.allocate(Long.BYTES + 1).putLong(mark.watermarkMs()).put((byte) (mark.idle() ? 1 : 0)).array();
        Deserializer<Mark> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new Mark(buffer.getLong(), buffer.get() != 0);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
