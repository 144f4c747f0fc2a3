package io.kelvin.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.trainer.SourceWatermarks.Mark;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The pooled model's stream time: the least watermark over every upstream partition, with its limits. */
class TrainerSourceWatermarksTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void shouldBeTheLeastWatermarkOfAllPartitions() {
        Map<Integer, Mark> marks = Map.of(0, active(30 * HOUR), 1, active(5 * HOUR), 2, active(12 * HOUR));

        assertThat(SourceWatermarks.globalWatermark(marks, 3, 0)).isEqualTo(5 * HOUR);
    }

    @Test
    void shouldWaitForAnExpectedPartitionThatHasNotReportedOrHasNoStreamTimeYet() {
        Map<Integer, Mark> twoOfThree = Map.of(0, active(30 * HOUR), 1, active(5 * HOUR));
        Map<Integer, Mark> thirdUnstarted = Map.of(0, active(30 * HOUR), 1, active(5 * HOUR), 2, active(SourceWatermarks.UNKNOWN));

        assertThat(SourceWatermarks.globalWatermark(twoOfThree, 3, 0)).isEqualTo(SourceWatermarks.UNKNOWN);
        assertThat(SourceWatermarks.globalWatermark(thirdUnstarted, 3, 0)).isEqualTo(SourceWatermarks.UNKNOWN);
        assertThat(SourceWatermarks.globalWatermark(Map.of(), 1, 0)).isEqualTo(SourceWatermarks.UNKNOWN);
    }

    @Test
    void shouldAlsoWaitForPartitionsBeyondTheExpectedCountOnceOneOfThemReports() {
        // Expected 2, but partition 3 reported: the topic has grown, so partition 2 is waited for too.
        Map<Integer, Mark> marks = Map.of(0, active(30 * HOUR), 1, active(20 * HOUR), 3, active(25 * HOUR));

        assertThat(SourceWatermarks.globalWatermark(marks, 2, 0)).isEqualTo(SourceWatermarks.UNKNOWN);
        assertThat(SourceWatermarks.globalWatermark(Map.of(0, active(30 * HOUR), 1, active(20 * HOUR), 2, active(22 * HOUR),
                3, active(25 * HOUR)), 2, 0)).isEqualTo(20 * HOUR);
    }

    @Test
    void shouldNotWaitForIdlePartitionsAndTakeTheHighestWhenAllAreIdle() {
        Map<Integer, Mark> oneIdleBehind = Map.of(0, active(30 * HOUR), 1, idle(2 * HOUR), 2, active(12 * HOUR));
        Map<Integer, Mark> idleNeverStarted = Map.of(0, active(30 * HOUR), 1, idle(SourceWatermarks.UNKNOWN));
        Map<Integer, Mark> allIdle = Map.of(0, idle(30 * HOUR), 1, idle(2 * HOUR));

        assertThat(SourceWatermarks.globalWatermark(oneIdleBehind, 3, 0)).isEqualTo(12 * HOUR);
        assertThat(SourceWatermarks.globalWatermark(idleNeverStarted, 2, 0)).isEqualTo(30 * HOUR);
        assertThat(SourceWatermarks.globalWatermark(allIdle, 2, 0)).isEqualTo(30 * HOUR);
    }

    @Test
    void shouldWaitAtMostTheMaxLagBehindTheMostAdvancedPartition() {
        Map<Integer, Mark> stuck = Map.of(0, active(100 * HOUR), 1, active(10 * HOUR));
        Map<Integer, Mark> missing = Map.of(0, active(100 * HOUR));

        assertThat(SourceWatermarks.globalWatermark(stuck, 2, 48 * HOUR)).isEqualTo(52 * HOUR);  // lag 90 h > 48 h
        assertThat(SourceWatermarks.globalWatermark(stuck, 2, 95 * HOUR)).isEqualTo(10 * HOUR);  // lag 90 h within 95 h
        assertThat(SourceWatermarks.globalWatermark(missing, 2, 48 * HOUR)).isEqualTo(52 * HOUR);
        assertThat(SourceWatermarks.globalWatermark(stuck, 2, 0)).isEqualTo(10 * HOUR);          // 0: unbounded
    }

    @Test
    void shouldNeverPassAnActivePartitionNorTheMostAdvancedOneWhateverTheMarks() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int trial = 0; trial < 2_000; trial++) {
            int partitions = 1 + random.nextInt(6);
            long maxLag = random.nextBoolean() ? 0 : random.nextInt(50) * HOUR;
            Map<Integer, Mark> marks = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                if (random.nextInt(5) > 0) {
                    marks.put(p, new Mark(random.nextInt(5) == 0 ? SourceWatermarks.UNKNOWN : random.nextInt(200) * HOUR, random.nextInt(4) == 0));
                }
            }
            long global = SourceWatermarks.globalWatermark(marks, partitions, maxLag);
            long highest = marks.values().stream().mapToLong(Mark::watermarkMs).max().orElse(SourceWatermarks.UNKNOWN);
            assertThat(global).as("seed %d, marks %s, max lag %d", seed, marks, maxLag).isLessThanOrEqualTo(highest);
            for (Map.Entry<Integer, Mark> e : marks.entrySet()) {
                if (!e.getValue().idle() && e.getValue().watermarkMs() >= 0) {
                    long floor = maxLag > 0 ? Math.max(e.getValue().watermarkMs(), highest - maxLag) : e.getValue().watermarkMs();
                    assertThat(global).as("seed %d, marks %s, max lag %d", seed, marks, maxLag).isLessThanOrEqualTo(floor);
                }
            }
        }
    }

    @Test
    void shouldCarryPartitionWatermarkAndIdlenessInHeadersReplacingEarlierOnes() {
        Headers headers = new RecordHeaders().add("traceparent", new byte[] {1});
        SourceWatermarks.stamp(headers, 7, 5 * HOUR, true);
        SourceWatermarks.stamp(headers, 2, 6 * HOUR, false);

        assertThat(SourceWatermarks.partitionOf(headers)).isEqualTo(2);
        assertThat(SourceWatermarks.markOf(headers)).isEqualTo(active(6 * HOUR));
        assertThat(headers.lastHeader("traceparent")).isNotNull();
        assertThat(SourceWatermarks.partitionOf(new RecordHeaders())).isEqualTo(-1); // written before watermarks existed
        var serde = SourceWatermarks.serde();
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", idle(9 * HOUR)))).isEqualTo(idle(9 * HOUR));
    }

    private static Mark active(long ms) {
        return new Mark(ms, false);
    }

    private static Mark idle(long ms) {
        return new Mark(ms, true);
    }
}
