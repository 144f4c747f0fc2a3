package io.kelvin.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.ModelContract;
import io.kelvin.model.SimulatedFleetData;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.TrainingReport;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The pooled model on a backlog replay: TopologyTestDriver has one partition per topic, so the
 * tests write the global-sample topic directly, as three upstream feedback partitions would
 * (building {@code sim-00(p+1)} on partition {@code p}), stamped with their source partition and
 * watermark, in skewed order. Rows from the seeded simulated fleet, which starts Monday
 * 2025-01-06 00:00Z; pooled training for day D is due at D 02:00Z.
 */
class TrainerGlobalWatermarkTest {
    private static final LocalDate MONDAY = LocalDate.of(2025, 1, 6);
    private static final String SAMPLE_TOPIC = "kelvin-trainer-test-" + TrainerTopology.GLOBAL_SAMPLE + "-repartition";
    private static final Map<String, String> THREE_PARTITIONS = Map.of(
            KelvinConfig.TRAINER_MIN_ROWS_CONFIG, "200",
            KelvinConfig.TRAINER_GLOBAL_SAMPLE_RATE_CONFIG, "1.0",
            KelvinConfig.TRAINER_GLOBAL_SOURCE_PARTITIONS_CONFIG, "3",
            KelvinConfig.TRAINER_GLOBAL_IDLE_MS_CONFIG, String.valueOf(Duration.ofDays(1).toMillis()), // the driver's own partition 0 never idles
            KelvinConfig.TRAINER_GLOBAL_MAX_LAG_MS_CONFIG, "0");
    private static final Duration TICK = Duration.ofMinutes(1);

    @Test
    void shouldTrainThePooledModelForADayOnlyAfterEveryPartitionPassedItAndOnAllOfItsRows() {
        List<List<Feedback>> byPartition = partitioned(TrainerFixture.fleet(3, 5));
        List<Feedback> all = byPartition.stream().flatMap(List::stream)
                .sorted(Comparator.comparing(Feedback::getObservedWindowEnd)).toList();
        List<TrainingReport> skewed = new ArrayList<>();
        try (TrainerFixture fx = new TrainerFixture(THREE_PARTITIONS)) {
            TestInputTopic<String, Feedback> sample = sampleTopic(fx);

            pipe(sample, 0, byPartition.get(0), "9999-01-01T00:00:00Z");   // partition 0 replayed to 2025-01-11 00:00Z
            pipe(sample, 1, byPartition.get(1), "9999-01-01T00:00:00Z");   // partition 1 too
            fx.driver.advanceWallClockTime(TICK);                           // the queue drains on wall-clock ticks
            assertThat(global(fx.reports.readValuesToList())).as("partition 2 has not reported").isEmpty();

            pipe(sample, 2, byPartition.get(2), "2025-01-08T02:00:00Z");    // partition 2 at 01:50Z on Jan 8
            fx.driver.advanceWallClockTime(TICK);
            List<TrainingReport> first = global(fx.reports.readValuesToList());
            assertThat(first).extracting(TrainingReport::getTrainingDay).containsExactly(MONDAY.plusDays(1));
            skewed.addAll(first);

            pipe(sample, 2, byPartition.get(2), "2025-01-08T02:10:00Z");    // partition 2 at 02:00Z: Jan 8 is due everywhere
            fx.driver.advanceWallClockTime(TICK);
            List<TrainingReport> second = global(fx.reports.readValuesToList());
            assertThat(second).extracting(TrainingReport::getTrainingDay).containsExactly(MONDAY.plusDays(2));
            skewed.addAll(second);

            pipe(sample, 2, byPartition.get(2), "9999-01-01T00:00:00Z");    // partition 2 catches up to 2025-01-11 00:00Z
            for (int i = 0; i < 3; i++) {
                fx.driver.advanceWallClockTime(TICK);
            }
            skewed.addAll(global(fx.reports.readValuesToList()));
            List<Integer> reported = new ArrayList<>();
            try (var it = fx.driver.<Integer, SourceWatermarks.Mark>getKeyValueStore(TrainerTopology.GLOBAL_WATERMARKS_STORE).all()) {
                it.forEachRemaining(kv -> {
                    reported.add(kv.key);
                    assertThat(kv.value).isEqualTo(new SourceWatermarks.Mark(Instant.parse("2025-01-11T00:00:00Z").toEpochMilli(), false));
                });
            }
            assertThat(reported).containsExactly(0, 1, 2);
        }

        // The same rows, every partition in step (one ordered stream), train the same pooled models.
        List<TrainingReport> inOrder;
        try (TrainerFixture fx = new TrainerFixture(THREE_PARTITIONS)) {
            TestInputTopic<String, Feedback> sample = sampleTopic(fx);
            for (Feedback f : all) {
                int p = Integer.parseInt(f.getBuildingId().substring(4)) - 1;
                pipe(sample, p, new ArrayList<>(List.of(f)), "9999-01-01T00:00:00Z");
            }
            fx.driver.advanceWallClockTime(TICK);
            inOrder = global(fx.reports.readValuesToList());
        }
        assertThat(inOrder).extracting(TrainingReport::getTrainingDay)
                .containsExactly(MONDAY.plusDays(1), MONDAY.plusDays(2), MONDAY.plusDays(3), MONDAY.plusDays(4));
        assertThat(inOrder.get(3).getTrainingRows()).as("three buildings' rows before the held-out day").isGreaterThan(200);
        assertThat(skewed).extracting(TrainingReport::getTrainingDay, TrainingReport::getDecision, TrainingReport::getTrainingRows,
                        TrainingReport::getHoldoutRows, TrainingReport::getChallengerMaeEnergyKwh, TrainingReport::getChallengerMaeIndoorC)
                .containsExactlyElementsOf(inOrder.stream().map(r -> tuple(r.getTrainingDay(), r.getDecision(), r.getTrainingRows(),
                        r.getHoldoutRows(), r.getChallengerMaeEnergyKwh(), r.getChallengerMaeIndoorC())).toList());
    }

    @Test
    void shouldStopWaitingForAPartitionThatReportsItselfIdle() {
        List<List<Feedback>> byPartition = partitioned(TrainerFixture.fleet(3, 5));
        try (TrainerFixture fx = new TrainerFixture(THREE_PARTITIONS)) {
            TestInputTopic<String, Feedback> sample = sampleTopic(fx);
            pipe(sample, 0, byPartition.get(0), "9999-01-01T00:00:00Z");
            pipe(sample, 1, byPartition.get(1), "9999-01-01T00:00:00Z");
            pipe(sample, 2, byPartition.get(2), "2025-01-07T12:00:00Z");    // partition 2 stops at 11:50Z on Jan 7
            fx.driver.advanceWallClockTime(TICK);
            assertThat(global(fx.reports.readValuesToList())).extracting(TrainingReport::getTrainingDay).containsExactly(MONDAY.plusDays(1));

            fx.driver.advanceWallClockTime(TICK.multipliedBy(10));          // waiting: partition 2 may still send Jan 7's rows
            assertThat(global(fx.reports.readValuesToList())).isEmpty();

            heartbeat(sample, 2, Instant.parse("2025-01-07T11:50:00Z"), true); // its source task saw nothing for the idle time
            fx.driver.advanceWallClockTime(TICK);
            // The pooled time jumps to partitions 0 and 1 (2025-01-11 00:00Z): trained once, for the latest due day.
            assertThat(global(fx.reports.readValuesToList())).extracting(TrainingReport::getTrainingDay).containsExactly(MONDAY.plusDays(4));
        }
    }

    @Test
    void shouldStampSampledRowsAndHeartbeatsWithTheSourceWatermarkAndIdleness() {
        Map<String, String> settings = new HashMap<>(THREE_PARTITIONS);
        settings.put(KelvinConfig.TRAINER_GLOBAL_SAMPLE_RATE_CONFIG, "0.1");
        settings.put(KelvinConfig.TRAINER_GLOBAL_IDLE_MS_CONFIG, String.valueOf(Duration.ofMinutes(5).toMillis()));
        List<Feedback> rows = TrainerFixture.fleet(1, 2).rows().stream().map(TrainerFixture::feedback).toList();
        try (TrainerFixture fx = new TrainerFixture(settings)) {
            TestOutputTopic<String, Feedback> sample = fx.driver.createOutputTopic(SAMPLE_TOPIC, Serdes.String().deserializer(),
                    fx.serdes.feedback().deserializer());
            fx.pipeAll(rows);
            List<TestRecord<String, Feedback>> forwarded = sample.readRecordsToList();

            GlobalSample kept = new GlobalSample(0.1);
            assertThat(forwarded).filteredOn(r -> r.value() != null).extracting(r -> r.value().getDecisionId())
                    .containsExactlyElementsOf(rows.stream().filter(kept::keeps).map(Feedback::getDecisionId).toList());
            assertThat(forwarded).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo(ModelContract.GLOBAL_KEY);
                assertThat(SourceWatermarks.partitionOf(r.headers())).isZero();
                assertThat(SourceWatermarks.markOf(r.headers())).isEqualTo(new SourceWatermarks.Mark(r.timestamp(), false));
            });
            // Every row moved stream time; each one unsampled is reported by a heartbeat (null value) within a tick.
            long last = rows.get(rows.size() - 1).getObservedWindowEnd().toEpochMilli();
            assertThat(forwarded.get(forwarded.size() - 1).timestamp()).isEqualTo(last);
            assertThat(forwarded).filteredOn(r -> r.value() == null).isNotEmpty();

            for (int i = 0; i < 6; i++) {
                fx.driver.advanceWallClockTime(TICK);                  // no record for 6 minutes of wall-clock time
            }
            List<TestRecord<String, Feedback>> ticks = sample.readRecordsToList();
            assertThat(ticks).hasSize(6).allSatisfy(r -> assertThat(r.value()).isNull());
            assertThat(ticks).extracting(r -> SourceWatermarks.markOf(r.headers())).containsExactly(
                    new SourceWatermarks.Mark(last, false), new SourceWatermarks.Mark(last, false), new SourceWatermarks.Mark(last, false),
                    new SourceWatermarks.Mark(last, false), new SourceWatermarks.Mark(last, false), new SourceWatermarks.Mark(last, true));
            assertThat(fx.driver.getKeyValueStore(TrainerTopology.GLOBAL_WATERMARKS_STORE).get(0)).isEqualTo(new SourceWatermarks.Mark(last, true));

            fx.pipe(TrainerFixture.feedback(TrainerFixture.fleet(1, 3).rows().get(2 * 140)));  // it sends again: active
            List<TestRecord<String, Feedback>> again = sample.readRecordsToList();
            assertThat(again).isNotEmpty().allSatisfy(r -> assertThat(SourceWatermarks.markOf(r.headers()).idle()).isFalse());
        }
    }

    /** Rows by partition: building {@code sim-00(p+1)} lives on partition {@code p}. */
    private static List<List<Feedback>> partitioned(SimulatedFleetData.Fleet fleet) {
        List<List<Feedback>> out = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        fleet.rows().stream().map(TrainerFixture::feedback)
                .forEach(f -> out.get(Integer.parseInt(f.getBuildingId().substring(4)) - 1).add(f));
        return out;
    }

    private static TestInputTopic<String, Feedback> sampleTopic(TrainerFixture fx) {
        return fx.driver.createInputTopic(SAMPLE_TOPIC, Serdes.String().serializer(), fx.serdes.feedback().serializer());
    }

    /** Pipes (and removes) the partition's rows stamped before {@code end}, each carrying its own stamp as the watermark. */
    private static void pipe(TestInputTopic<String, Feedback> sample, int partition, List<Feedback> rows, String end) {
        Instant stop = Instant.parse(end);
        while (!rows.isEmpty() && rows.get(0).getObservedWindowEnd().isBefore(stop)) {
            Feedback f = rows.remove(0);
            Instant at = f.getObservedWindowEnd();
            sample.pipeInput(new TestRecord<>(ModelContract.GLOBAL_KEY, f,
                    SourceWatermarks.stamp(new RecordHeaders(), partition, at.toEpochMilli(), false), at));
        }
    }

    private static void heartbeat(TestInputTopic<String, Feedback> sample, int partition, Instant watermark, boolean idle) {
        sample.pipeInput(new TestRecord<>(ModelContract.GLOBAL_KEY, null,
                SourceWatermarks.stamp(new RecordHeaders(), partition, watermark.toEpochMilli(), idle), watermark));
    }

    private static List<TrainingReport> global(List<TrainingReport> reports) {
        return reports.stream().filter(r -> r.getModelKey().equals(ModelContract.GLOBAL_KEY)).toList();
    }
}
