package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureBuilderTest {

    @Test
    void shouldTakeTheTimeOfDayAndWeekdayInTheBuildingsOwnZoneAcrossADaylightSavingChange() {
        // Berlin moved to summer time at 01:00 UTC on Sunday 2026-03-29: a window ending 01:10 UTC ends at 03:10 local.
        DecisionContext ctx = context("Europe/Berlin", Instant.parse("2026-03-29T01:10:00Z").toEpochMilli());

        assertThat(ctx.localHourOfDay()).isCloseTo(3 + 10 / 60.0, within(1e-12));
        assertThat(ctx.localDayOfWeek()).isEqualTo(7);
        assertThat(FeatureBuilder.value("hour_sin", ctx, 21.0)).isCloseTo(Math.sin(2 * Math.PI * (3 + 10 / 60.0) / 24), within(1e-12));
        assertThat(FeatureBuilder.value("dow_cos", ctx, 21.0)).isCloseTo(Math.cos(2 * Math.PI * 6 / 7.0), within(1e-12));
    }

    @Test
    void shouldFallBackToUtcWhenTheProfileNamesNoValidZone() {
        DecisionContext ctx = context("Nowhere/Atlantis", Instant.parse("2026-11-23T22:30:00Z").toEpochMilli());

        assertThat(ctx.localHourOfDay()).isCloseTo(22.5, within(1e-12));
        assertThat(ctx.localDayOfWeek()).isEqualTo(1);
    }

    @Test
    void shouldGiveEveryCandidateRowTheSameTimeFeaturesAsTheFeedbackRecord() {
        DecisionContext ctx = context("America/New_York", Instant.parse("2026-07-01T16:00:00Z").toEpochMilli());
        List<String> names = List.of("hour_sin", "hour_cos", "dow_sin", "dow_cos", "candidate_setpoint_c");
        float[] row = new float[names.size()];

        FeatureBuilder.fillRows(names, ctx, new double[] {22.5}, row, 0);

        var all = FeatureBuilder.all(ctx, 22.5);
        for (int i = 0; i < names.size(); i++) {
            assertThat((double) row[i]).as(names.get(i)).isCloseTo(all.get(names.get(i)), within(1e-6));
        }
    }

    @Test
    void shouldFillEachCandidatesRowWithTheValueOfEveryFeatureForThatCandidate() {
        long endMs = Instant.parse("2026-11-23T08:00:00Z").toEpochMilli();
        BuildingProfile profile = SafetyPropertyTest.randomProfile(new java.util.Random(7));
        WindowAggregator aggregator = new WindowAggregator(720);
        var window = WindowAggregator.empty();
        int minute = 0;
        for (Metric metric : Metric.values()) {
            if (metric != Metric.UNKNOWN) {
                for (int i = 0; i < 3; i++, minute++) {
                    aggregator.apply("b1", new SensorReading("b1", "d1", metric, 20.0 + minute, Instant.ofEpochMilli(endMs - 590_000 + minute * 1_000L), null), window);
                }
            }
        }
        DecisionContext ctx = new DecisionContext(new WindowSummary(window, endMs - 600_000, endMs), profile, new OccupancySchedule(profile), 21.0, true);
        List<String> names = FeatureBuilder.KNOWN_FEATURES;
        double[] candidates = {20.5, 20.8, 21.0, 21.3, 21.5};
        float[] rows = new float[candidates.length * names.size() + 3];

        FeatureBuilder.fillRows(names, ctx, candidates, rows, 3);

        for (int i = 0; i < candidates.length; i++) {
            for (int f = 0; f < names.size(); f++) {
                float expected = (float) FeatureBuilder.value(names.get(f), ctx, candidates[i]);
                assertThat(rows[3 + i * names.size() + f]).as("%s of candidate %s", names.get(f), candidates[i]).isEqualTo(expected);
                assertThat(Float.isFinite(expected)).as(names.get(f)).isTrue();
            }
        }
        assertThat(new float[] {rows[0], rows[1], rows[2]}).as("nothing before the offset is written").containsOnly(0f);
    }

    private static DecisionContext context(String zone, long endMs) {
        BuildingProfile profile = BuildingProfile.newBuilder(SafetyPropertyTest.randomProfile(new java.util.Random(1))).setTimeZone(zone).build();
        return new DecisionContext(new WindowSummary(WindowAggregator.empty(), endMs - 600_000, endMs), profile,
                new OccupancySchedule(profile), 21.0, false);
    }
}
