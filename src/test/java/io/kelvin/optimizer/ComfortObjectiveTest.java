package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.Metric;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The comfort margin of the objective, and the pre-heat lead (optimum start) and the BMS dead band of the candidates. */
class ComfortObjectiveTest {
    private static final double TEN_MINUTES = 1.0 / 6;
    private static final Objective OBJECTIVE = new Objective(1.0, 100.0, 0.1);
    /** OptimizerFixture.office: occupied weekdays 08:00-18:00 UTC, comfort 20-24 °C, limits 16-26 °C, 0.5 K per step. */
    private static final BuildingProfile OFFICE = OptimizerFixture.office("b1");
    private static final CandidateGenerator CANDIDATES = new CandidateGenerator(new SafetyRules(0.5), 0.1, 1_800_000L, 0);

    @Test
    void shouldCountAPredictionWithinTheMarginOfAnEdgeAsOutsideTheBand() {
        assertThat(OBJECTIVE.cost(2.0, 20.10, true, 20, 24, TEN_MINUTES)).isCloseTo(2.0, within(1e-12));          // on the aimed edge
        assertThat(OBJECTIVE.cost(2.0, 20.05, true, 20, 24, TEN_MINUTES)).isCloseTo(2.0 + 100 * 0.05 / 6, within(1e-12));
        assertThat(OBJECTIVE.cost(2.0, 23.95, true, 20, 24, TEN_MINUTES)).isCloseTo(2.0 + 100 * 0.05 / 6, within(1e-12));
        assertThat(OBJECTIVE.cost(2.0, 19.00, true, 20, 24, TEN_MINUTES)).isCloseTo(2.0 + 100 * 1.1 / 6, within(1e-12));
    }

    @Test
    void shouldChargeNoDiscomfortWhenComfortIsNotRequired() {
        assertThat(OBJECTIVE.cost(2.0, 12.0, false, 20, 24, TEN_MINUTES)).isEqualTo(2.0);
    }

    @Test
    void shouldAimAtTheMiddleOfABandNarrowerThanTwoMargins() {
        Objective wide = new Objective(1.0, 100.0, 1.0);
        assertThat(wide.cost(0, 21.5, true, 21, 22, 1)).isZero();                     // the midpoint costs nothing
        assertThat(wide.cost(0, 21.0, true, 21, 22, 1)).isCloseTo(50, within(1e-12)); // half a kelvin from it
    }

    @Test
    void shouldRequireComfortFromThePreheatLeadBeforeOccupancy() {
        // Monday; people arrive at 08:00, comfort is required from 07:30.
        assertThat(CANDIDATES.comfortRequired(context("2026-11-23T07:20:00Z", false))).isFalse();  // next window 07:20-07:30
        assertThat(CANDIDATES.comfortRequired(context("2026-11-23T07:30:00Z", false))).isTrue();   // next window 07:30-07:40
        assertThat(CANDIDATES.comfortRequired(context("2026-11-23T12:00:00Z", true))).isTrue();
        assertThat(CANDIDATES.comfortRequired(context("2026-11-23T20:00:00Z", false))).isFalse();
        assertThat(new CandidateGenerator(new SafetyRules(0.5), 0.1, 0, 0).comfortRequired(context("2026-11-23T07:30:00Z", false))).isFalse();
    }

    @Test
    void shouldStartEarlierTheColderTheZoneIsOptimumStart() {
        // 30 min plus 20 min per kelvin below the band: from 18.5 °C (1.5 K below) comfort is required from 07:00.
        CandidateGenerator optimumStart = new CandidateGenerator(new SafetyRules(0.5), 0.1, 1_800_000L, 1_200_000L);
        assertThat(optimumStart.preheatLeadMs(zoneAt("2026-11-23T06:50:00Z", 18.5))).isEqualTo(3_600_000L);
        assertThat(optimumStart.comfortRequired(zoneAt("2026-11-23T06:50:00Z", 18.5))).isFalse();   // next window 06:50-07:00
        assertThat(optimumStart.comfortRequired(zoneAt("2026-11-23T07:00:00Z", 18.5))).isTrue();    // next window 07:00-07:10
        assertThat(optimumStart.comfortRequired(zoneAt("2026-11-23T07:00:00Z", 20.5))).isFalse();   // in the band: 30 min only
        assertThat(optimumStart.preheatLeadMs(zoneAt("2026-11-23T07:00:00Z", 25.0))).isEqualTo(3_000_000L); // 1 K above: cool-down
        assertThat(optimumStart.preheatLeadMs(context("2026-11-23T07:00:00Z", false))).as("no zone readings").isEqualTo(1_800_000L);
        // Before the lead the set-back may fall only as far as the ramp can recover by the lead: at 05:00 from 16.5 °C
        // (3.5 K below: lead 100 min, from 06:20) there are 7 windows left, so no lower than 20 - 3.5 = 16.5 °C.
        assertThat(optimumStart.candidates(zoneAt("2026-11-23T05:00:00Z", 16.5))[0]).isCloseTo(16.5, within(1e-9));
        assertThat(CANDIDATES.candidates(zoneAt("2026-11-23T05:00:00Z", 16.5))[0]).as("fixed lead").isCloseTo(16.0, within(1e-9));
    }

    /** A decision whose window saw the zone at {@code zoneC} throughout, anchored there. */
    private static DecisionContext zoneAt(String windowEnd, double zoneC) {
        long end = Instant.parse(windowEnd).toEpochMilli();
        WindowAggregator aggregator = new WindowAggregator(100);
        BuildingWindow window = WindowAggregator.empty();
        for (int m = 0; m < 10; m++) {
            window = aggregator.apply("b1", OptimizerFixture.reading("b1", Metric.ZONE_TEMPERATURE_C, zoneC,
                    Instant.ofEpochMilli(end - 600_000 + 60_000L * m)), window);
        }
        return new DecisionContext(new WindowSummary(window, end - 600_000, end), OFFICE, new OccupancySchedule(OFFICE), zoneC, false);
    }

    @Test
    void shouldHoldCandidatesToTheBandInTheLeadAndLetTheSetpointRiseInTimeBeforeIt() {
        // In the lead, from 19.8 °C: only what lies in the band, 20.0 to 20.3 °C; from 19.4 °C the band is out of
        // reach this step, so the single setpoint nearest to it, 19.9 °C.
        double[] inLead = CANDIDATES.candidates(context("2026-11-23T07:30:00Z", false, 19.8));
        assertThat(inLead[0]).isCloseTo(20.0, within(1e-9));
        assertThat(inLead[inLead.length - 1]).isCloseTo(20.3, within(1e-9));
        assertThat(CANDIDATES.candidates(context("2026-11-23T07:30:00Z", false, 19.4))).hasSize(1)
                .satisfies(c -> assertThat(c[0]).isCloseTo(19.9, within(1e-9)));
        // Two hours early, the set-back may still drop: 16 °C is 4 K below the band, 8 windows of 0.5 K before the lead.
        double[] early = CANDIDATES.candidates(context("2026-11-23T06:00:00Z", false, 16.2));
        assertThat(early[0]).isCloseTo(16.0, within(1e-9));
        // One hour early, no lower than 20 - 0.5 x 2 windows left before the lead = 19 °C.
        double[] hourEarly = CANDIDATES.candidates(context("2026-11-23T07:00:00Z", false, 19.2));
        assertThat(hourEarly[0]).isCloseTo(19.0, within(1e-9));
    }

    @Test
    void shouldKeepTheBmsDeadBandInsideTheComfortBandWhileComfortIsRequired() {
        // The BMS heats below setpoint - 0.5 K and cools above setpoint + 0.5 K: setpoints 20.5 to 23.5 °C keep the room in 20-24 °C.
        BuildingProfile office = BuildingProfile.newBuilder(OFFICE).setBmsDeadbandHalfWidthK(0.5).build();
        assertThat(CandidateGenerator.setpointBand(office)).containsExactly(20.5, 23.5);
        double[] occupied = CANDIDATES.candidates(context(office, "2026-11-23T12:00:00Z", true, 20.6));
        assertThat(occupied[0]).isCloseTo(20.5, within(1e-9));
        assertThat(occupied[occupied.length - 1]).isCloseTo(21.1, within(1e-9));
        // From 20.0 °C the inner band is out of reach this step except its edge: 20.5 °C only.
        assertThat(CANDIDATES.candidates(context(office, "2026-11-23T12:00:00Z", true, 20.0))).containsExactly(20.5);
        // One hour early the set-back may reach 1 K below the inner band (two windows of 0.5 K before the lead): 19.5 °C.
        assertThat(CANDIDATES.candidates(context(office, "2026-11-23T07:00:00Z", false, 19.7))[0]).isCloseTo(19.5, within(1e-9));
        // A dead band wider than the comfort band: aim at its middle.
        BuildingProfile narrow = BuildingProfile.newBuilder(OFFICE).setComfortMinC(21).setComfortMaxC(22).setBmsDeadbandHalfWidthK(0.75).build();
        assertThat(CandidateGenerator.setpointBand(narrow)).containsExactly(21.5, 21.5);
    }

    @Test
    void shouldRefuseAProfileWithANegativeOrNonFiniteDeadBand() {
        assertThat(SafetyRules.isUsable(OFFICE)).isTrue();
        assertThat(SafetyRules.isUsable(BuildingProfile.newBuilder(OFFICE).setBmsDeadbandHalfWidthK(-0.1).build())).isFalse();
        assertThat(SafetyRules.isUsable(BuildingProfile.newBuilder(OFFICE).setBmsDeadbandHalfWidthK(Double.NaN).build())).isFalse();
    }

    private static DecisionContext context(String windowEnd, boolean occupiedNext) {
        return context(windowEnd, occupiedNext, 21.0);
    }

    private static DecisionContext context(String windowEnd, boolean occupiedNext, double anchorC) {
        return context(OFFICE, windowEnd, occupiedNext, anchorC);
    }

    private static DecisionContext context(BuildingProfile profile, String windowEnd, boolean occupiedNext, double anchorC) {
        long end = Instant.parse(windowEnd).toEpochMilli();
        return new DecisionContext(new WindowSummary(WindowAggregator.empty(), end - 600_000, end), profile,
                new OccupancySchedule(profile), anchorC, occupiedNext);
    }
}
