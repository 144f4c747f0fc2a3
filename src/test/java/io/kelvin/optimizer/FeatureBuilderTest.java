package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.schema.BuildingProfile;
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

        FeatureBuilder.fill(names, ctx, 22.5, row, 0);

        var all = FeatureBuilder.all(ctx, 22.5);
        for (int i = 0; i < names.size(); i++) {
            assertThat((double) row[i]).as(names.get(i)).isCloseTo(all.get(names.get(i)), within(1e-6));
        }
    }

    private static DecisionContext context(String zone, long endMs) {
        BuildingProfile profile = BuildingProfile.newBuilder(SafetyPropertyTest.randomProfile(new java.util.Random(1))).setTimeZone(zone).build();
        return new DecisionContext(new WindowSummary(WindowAggregator.empty(), endMs - 600_000, endMs), profile,
                new OccupancySchedule(profile), 21.0, false);
    }
}
