package io.kelvin.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.ModelContract;
import io.kelvin.inference.OnnxModel;
import io.kelvin.model.SimulatedFleetData;
import io.kelvin.model.TrainingRow;
import io.kelvin.optimizer.ModelSource;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.TrainingDecision;
import io.kelvin.schema.TrainingReport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The trainer on TopologyTestDriver: when it trains (stream time and building-local hours only),
 * what it keeps, what its gate releases, and that a replayed day trains nothing twice. Rows come
 * from the seeded simulated fleet ({@link SimulatedFleetData}), which starts Monday 2025-01-06
 * 00:00Z; its first rows are decided at 06:10Z. Each feedback record is stamped 10 minutes after
 * its decision, when the optimizer would emit it.
 */
class TrainerTopologyTest {
    private static final LocalDate MONDAY = LocalDate.of(2025, 1, 6);
    private static final Map<String, String> FAST = Map.of(
            KelvinConfig.TRAINER_MIN_ROWS_CONFIG, "200",
            KelvinConfig.TRAINER_GLOBAL_SAMPLE_RATE_CONFIG, "1.0");
    /** Retention of 5 days (3 of history) and a pooled sample of at most 100 rows. */
    private static final Map<String, String> SHORT_HISTORY = Map.of(
            KelvinConfig.TRAINER_HISTORY_DAYS_CONFIG, "3",
            KelvinConfig.TRAINER_MIN_ROWS_CONFIG, "100",
            KelvinConfig.TRAINER_GLOBAL_SAMPLE_RATE_CONFIG, "1.0",
            KelvinConfig.TRAINER_GLOBAL_SAMPLE_ROWS_CONFIG, "100");

    @Test
    void shouldTrainEachBuildingOncePerLocalDayWhenStreamTimePassesItsTrainingHour() {
        SimulatedFleetData.Fleet fleet = TrainerFixture.fleet(2, 6);
        try (TrainerFixture fx = new TrainerFixture(FAST)) {
            fx.profile(fleet.profiles().get(0));                                                   // sim-001: UTC
            fx.profile(BuildingProfile.newBuilder(fleet.profiles().get(1)).setTimeZone("America/New_York").build()); // sim-002: UTC-5
            Iterator<Feedback> rows = fleet.rows().stream().map(TrainerFixture::feedback).iterator();
            Feeder feed = new Feeder(fx, rows);

            feed.until("2025-01-07T02:00:00Z");   // stream time 01:50Z: before 02:00 local in London-like UTC
            List<TrainingReport> first = fx.reports.readValuesToList();
            assertThat(first).extracting(TrainingReport::getModelKey).containsExactly("sim-002"); // its local Jan 6, 02:00 = 07:00Z Jan 6
            assertThat(first.get(0).getTrainingDay()).isEqualTo(MONDAY);
            assertThat(first.get(0).getStartedAt()).isAfterOrEqualTo(Instant.parse("2025-01-06T07:00:00Z"));

            feed.until("2025-01-07T02:10:00Z");   // stream time 02:00Z: sim-001 and the pooled model are due
            List<TrainingReport> atTwo = fx.reports.readValuesToList();
            assertThat(atTwo).extracting(TrainingReport::getModelKey).containsExactlyInAnyOrder("sim-001", ModelContract.GLOBAL_KEY);
            assertThat(atTwo).allSatisfy(r -> {
                assertThat(r.getTrainingDay()).isEqualTo(MONDAY.plusDays(1));
                assertThat(r.getDecision()).isEqualTo(TrainingDecision.INSUFFICIENT_DATA);
                assertThat(r.getReason()).contains("usable rows");
            });

            feed.until("2025-01-07T07:00:00Z");   // stream time 06:50Z: 01:50 in New York
            assertThat(fx.reports.readValuesToList()).isEmpty();
            feed.until("2025-01-07T07:10:00Z");   // stream time 07:00Z: 02:00 in New York
            assertThat(fx.reports.readValuesToList()).extracting(TrainingReport::getModelKey, TrainingReport::getTrainingDay)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("sim-002", MONDAY.plusDays(1)));

            feed.rest();                          // stream time up to 2025-01-12 00:00Z
            List<TrainingReport> later = fx.reports.readValuesToList();
            assertThat(days(later, "sim-001")).containsExactly(MONDAY.plusDays(2), MONDAY.plusDays(3), MONDAY.plusDays(4), MONDAY.plusDays(5));
            assertThat(days(later, "sim-002")).containsExactly(MONDAY.plusDays(2), MONDAY.plusDays(3), MONDAY.plusDays(4), MONDAY.plusDays(5));
            assertThat(days(later, ModelContract.GLOBAL_KEY)).containsExactly(MONDAY.plusDays(2), MONDAY.plusDays(3), MONDAY.plusDays(4), MONDAY.plusDays(5));
            assertThat(later).filteredOn(r -> r.getModelKey().equals("sim-001"))
                    .extracting(TrainingReport::getDecision).contains(TrainingDecision.PROMOTED);
            assertThat(fx.metrics.trainings(TrainingDecision.PROMOTED))
                    .isEqualTo(later.stream().filter(r -> r.getDecision() == TrainingDecision.PROMOTED).count());
        }
    }

    @Test
    void shouldKeepAChampionWhoseLoggedPredictionsTheChallengerCannotBeat() {
        List<TrainingRow> rows = TrainerFixture.fleet(1, 5).rows();
        try (TrainerFixture fx = new TrainerFixture(FAST)) {
            fx.pipeAll(rows.stream().map(r -> TrainerFixture.feedback(r, "champion-1", r.energyKwh(), r.indoorC())).toList());

            List<TrainingReport> reports = of(fx.reports.readValuesToList(), "sim-001");
            TrainingReport last = reports.get(reports.size() - 1);
            assertThat(last.getTrainingDay()).isEqualTo(MONDAY.plusDays(4));
            assertThat(last.getDecision()).isEqualTo(TrainingDecision.KEPT_CHAMPION);
            assertThat(last.getChampionVersion()).isEqualTo("champion-1");
            assertThat(last.getChampionMaeEnergyKwh()).isEqualTo(0.0);
            assertThat(last.getChallengerMaeEnergyKwh()).isPositive();
            assertThat(last.getChallengerVersion()).startsWith("2025-01-10-sim-001-");
            assertThat(last.getReason()).contains("not better than champion champion-1");
            assertThat(fx.releases.readValuesToList()).filteredOn(r -> r.getModelKey().equals("sim-001")).isEmpty();
        }
    }

    @Test
    void shouldReleaseAChallengerThatBeatsTheChampionsLoggedPredictionsWithAnOnnxModelThatAgreesWithIt() throws Exception {
        List<TrainingRow> rows = TrainerFixture.fleet(1, 5).rows();
        try (TrainerFixture fx = new TrainerFixture(FAST)) {
            // The serving model overestimates energy by 2 kWh and indoor temperature by 1.5 K.
            fx.pipeAll(rows.stream().map(r -> TrainerFixture.feedback(r, "champion-1", r.energyKwh() + 2, r.indoorC() + 1.5)).toList());

            List<TrainingReport> reports = of(fx.reports.readValuesToList(), "sim-001");
            TrainingReport promoted = reports.stream().filter(r -> r.getDecision() == TrainingDecision.PROMOTED).findFirst().orElseThrow();
            assertThat(promoted.getChampionMaeEnergyKwh()).isCloseTo(2.0, within(1e-9));
            assertThat(promoted.getChallengerMaeEnergyKwh()).isLessThan(2.0 * (1 - 0.02));
            List<ModelRelease> releases = fx.releases.readValuesToList().stream().filter(r -> r.getModelKey().equals("sim-001")).toList();
            assertThat(releases).extracting(ModelRelease::getVersion).contains(promoted.getChallengerVersion());
            ModelRelease release = releases.stream().filter(r -> r.getVersion().equals(promoted.getChallengerVersion())).findFirst().orElseThrow();
            byte[] onnx = bytes(release.getOnnx());
            assertThat(release.getProducer()).isEqualTo(ModelTraining.PRODUCER);
            assertThat(release.getSha256()).isEqualTo(ModelSource.sha256Hex(onnx));
            assertThat(release.getCreatedAt()).isEqualTo(promoted.getStartedAt());

            // ONNX Runtime, fed the held-out day's features, scores what the Java challenger scored.
            LocalDate day = promoted.getTrainingDay();
            long from = day.minusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
            long to = day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
            List<TrainingRow> holdout = rows.stream().filter(r -> r.decidedAtMs() >= from && r.decidedAtMs() < to).toList();
            try (OnnxModel model = fx.engine.load("sim-001", onnx)) {
                assertThat(model.version()).isEqualTo(release.getVersion());
                assertThat(model.metadata()).containsEntry(ModelContract.META_MODEL_KEY, "sim-001")
                        .containsEntry(ModelContract.META_PRODUCER, ModelTraining.PRODUCER);
                int width = model.featureNames().size();
                float[] in = new float[holdout.size() * width];
                for (int i = 0; i < holdout.size(); i++) {
                    for (int j = 0; j < width; j++) {
                        in[i * width + j] = (float) holdout.get(i).feature(model.featureNames().get(j));
                    }
                }
                float[] out = new float[holdout.size() * 2];
                model.predict(in, holdout.size(), out);
                double mae = 0;
                for (int i = 0; i < holdout.size(); i++) {
                    mae += Math.abs(out[2 * i] - holdout.get(i).energyKwh());
                }
                assertThat(mae / holdout.size()).isCloseTo(promoted.getChallengerMaeEnergyKwh(), within(1e-3));
            }
        }
    }

    @Test
    void shouldKeepOnlyTheRecentHistoryPerBuildingAndAThinnedPooledSample() {
        List<TrainingRow> rows = TrainerFixture.fleet(1, 8).rows();
        try (TrainerFixture fx = new TrainerFixture(SHORT_HISTORY)) {
            List<Feedback> feedback = rows.stream().map(TrainerFixture::feedback).toList();
            fx.pipeAll(feedback);
            long streamTime = feedback.get(feedback.size() - 1).getObservedWindowEnd().toEpochMilli();

            List<Feedback> kept = values(fx.driver.getKeyValueStore(TrainerTopology.ROWS_STORE));
            assertThat(kept).isNotEmpty().allSatisfy(f ->
                    assertThat(f.getDecidedAt().toEpochMilli()).isGreaterThanOrEqualTo(streamTime - Duration.ofDays(5).toMillis()));
            assertThat(kept).hasSizeLessThanOrEqualTo(6 * 144);
            assertThat(kept.get(0).getDecidedAt()).isBefore(Instant.ofEpochMilli(streamTime - Duration.ofDays(4).toMillis()));

            // The pooled sample is thinned over the whole retained history, not cut to its newest rows.
            List<Feedback> pooled = values(fx.driver.getKeyValueStore(TrainerTopology.GLOBAL_ROWS_STORE));
            assertThinnedSample(pooled, feedback, streamTime - Duration.ofDays(5).toMillis(), 100);
            assertThat(pooled.get(0).getDecidedAt()).isBefore(Instant.ofEpochMilli(streamTime - Duration.ofDays(4).toMillis()));

            // Trainings read the last 3 days only: two days before the held-out one.
            assertThat(of(fx.reports.readValuesToList(), "sim-001")).allSatisfy(r -> assertThat(r.getTrainingRows()).isLessThanOrEqualTo(2 * 144));
        }
    }

    @Test
    void shouldTrainThePooledModelWhenTheFleetWritesMoreRowsThanTheSampleKeeps() {
        // 4 buildings write 576 rows a day; the sample keeps 400. Dropping the oldest would leave
        // under a day of rows, too few to train on days before the validation and held-out days.
        List<Feedback> feedback = TrainerFixture.fleet(4, 5).rows().stream().map(TrainerFixture::feedback).toList();
        Map<String, String> settings = Map.of(
                KelvinConfig.TRAINER_MIN_ROWS_CONFIG, "100",
                KelvinConfig.TRAINER_MIN_HOLDOUT_ROWS_CONFIG, "20",
                KelvinConfig.TRAINER_GLOBAL_SAMPLE_RATE_CONFIG, "1.0",
                KelvinConfig.TRAINER_GLOBAL_SAMPLE_ROWS_CONFIG, "400");
        try (TrainerFixture fx = new TrainerFixture(settings)) {
            fx.pipeAll(feedback.stream().sorted(java.util.Comparator.comparing(Feedback::getDecidedAt)).toList());
            List<TrainingReport> pooled = of(fx.reports.readValuesToList(), ModelContract.GLOBAL_KEY);
            TrainingReport last = pooled.get(pooled.size() - 1);
            assertThat(last.getTrainingDay()).isEqualTo(MONDAY.plusDays(4));
            assertThat(last.getDecision()).as(last.getReason().toString()).isNotEqualTo(TrainingDecision.INSUFFICIENT_DATA);
            assertThat(last.getTrainingRows()).isGreaterThanOrEqualTo(100);
        }
    }

    @Test
    void shouldKeepTheBoundsWhenALateRowArrivesBelowTheOldestKeptOne() {
        List<Feedback> feedback = TrainerFixture.fleet(1, 10).rows().stream().map(TrainerFixture::feedback).toList();
        // Rows of day 3 arrive late, on day 7: older than any kept row then, but inside retention
        // (5 days of stream time), so they are kept until stream time passes them.
        List<Feedback> late = feedback.subList(3 * 144, 3 * 144 + 6);
        try (TrainerFixture fx = new TrainerFixture(SHORT_HISTORY)) {
            feedback.subList(0, 7 * 144).stream().filter(f -> !late.contains(f)).forEach(fx::pipe);
            fx.pipeAll(late);
            List<Feedback> kept = values(fx.driver.getKeyValueStore(TrainerTopology.ROWS_STORE));
            assertThat(kept).extracting(Feedback::getDecisionId).containsAll(late.stream().map(Feedback::getDecisionId).toList());
            long streamTimeThen = feedback.get(7 * 144 - 1).getObservedWindowEnd().toEpochMilli();
            List<Feedback> pooledNow = values(fx.driver.getKeyValueStore(TrainerTopology.GLOBAL_ROWS_STORE));
            assertThinnedSample(pooledNow, feedback.subList(0, 7 * 144), streamTimeThen - Duration.ofDays(5).toMillis(), 100);

            fx.pipeAll(feedback.subList(7 * 144, feedback.size()));
            long streamTime = feedback.get(feedback.size() - 1).getObservedWindowEnd().toEpochMilli();
            List<Feedback> keptAfter = values(fx.driver.getKeyValueStore(TrainerTopology.ROWS_STORE));
            assertThat(keptAfter).allSatisfy(f ->
                    assertThat(f.getDecidedAt().toEpochMilli()).isGreaterThanOrEqualTo(streamTime - Duration.ofDays(5).toMillis()));
            List<Feedback> pooled = values(fx.driver.getKeyValueStore(TrainerTopology.GLOBAL_ROWS_STORE));
            assertThinnedSample(pooled, feedback, streamTime - Duration.ofDays(5).toMillis(), 100);
        }
    }

    /**
     * The pooled store holds a sample thinned by halving: at most {@code maxRows}, and exactly the
     * piped rows still inside retention whose hash lies below one threshold 2^32 / 2^k.
     */
    private static void assertThinnedSample(List<Feedback> pooled, List<Feedback> piped, long retainedFromMs, int maxRows) {
        assertThat(pooled).isNotEmpty().hasSizeLessThanOrEqualTo(maxRows);
        long highest = pooled.stream().mapToLong(GlobalSample::hash).max().orElseThrow();
        long threshold = GlobalSample.HASH_RANGE;
        while (threshold / 2 > highest) {
            threshold /= 2;
        }
        long below = threshold;
        assertThat(below).isLessThan(GlobalSample.HASH_RANGE); // it was thinned
        assertThat(pooled).extracting(f -> f.getDecisionId().toString()).containsExactlyInAnyOrderElementsOf(piped.stream()
                .filter(f -> f.getDecidedAt().toEpochMilli() >= retainedFromMs && GlobalSample.hash(f) < below)
                .map(f -> f.getDecisionId().toString()).toList());
    }

    @Test
    void shouldNotTrainADayAgainWhenItsFeedbackIsReplayedAndShouldReleaseTheSameModelFromTheSameRows() {
        List<Feedback> feedback = TrainerFixture.fleet(1, 5).rows().stream()
                .map(r -> TrainerFixture.feedback(r, "champion-1", r.energyKwh() + 2, r.indoorC() + 1.5)).toList();
        List<ModelRelease> first;
        try (TrainerFixture fx = new TrainerFixture(FAST)) {
            fx.pipeAll(feedback);
            List<TrainingReport> reports = fx.reports.readValuesToList();
            assertThat(days(reports, "sim-001")).doesNotHaveDuplicates().contains(MONDAY.plusDays(4));
            first = fx.releases.readValuesToList();
            assertThat(first).isNotEmpty();

            // A redelivery of the last day (as after a crash before the commit) and more of the same day.
            fx.pipeAll(feedback.subList(feedback.size() - 144, feedback.size()));
            assertThat(fx.reports.readValuesToList()).isEmpty();
            assertThat(fx.releases.readValuesToList()).isEmpty();
        }
        try (TrainerFixture again = new TrainerFixture(FAST)) {
            again.pipeAll(feedback);
            assertThat(again.releases.readValuesToList()).extracting(ModelRelease::getVersion, ModelRelease::getSha256, ModelRelease::getCreatedAt)
                    .containsExactlyElementsOf(first.stream().map(r -> org.assertj.core.groups.Tuple.tuple(r.getVersion(), r.getSha256(), r.getCreatedAt())).toList());
        }
    }

    /** Pipes an ordered stream of feedback in slices of stream time. */
    private static final class Feeder {
        private final TrainerFixture fx;
        private final Iterator<Feedback> rows;
        private Feedback next;

        Feeder(TrainerFixture fx, Iterator<Feedback> rows) {
            this.fx = fx;
            this.rows = rows;
            this.next = rows.hasNext() ? rows.next() : null;
        }

        /** Pipes every record stamped before {@code end}. */
        void until(String end) {
            Instant stop = Instant.parse(end);
            while (next != null && next.getObservedWindowEnd().isBefore(stop)) {
                fx.pipe(next);
                next = rows.hasNext() ? rows.next() : null;
            }
        }

        void rest() {
            until("9999-01-01T00:00:00Z");
        }
    }

    private static List<TrainingReport> of(List<TrainingReport> reports, String key) {
        return reports.stream().filter(r -> r.getModelKey().equals(key)).toList();
    }

    private static List<LocalDate> days(List<TrainingReport> reports, String key) {
        return of(reports, key).stream().map(TrainingReport::getTrainingDay).toList();
    }

    private static <V> List<V> values(KeyValueStore<String, V> store) {
        List<V> out = new ArrayList<>();
        try (var it = store.all()) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
