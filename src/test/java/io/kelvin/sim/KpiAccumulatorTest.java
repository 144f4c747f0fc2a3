package io.kelvin.sim;

import static io.kelvin.sim.SimFixtures.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KPI numbers on hand-made traces, one sample per minute. */
class KpiAccumulatorTest {
    private static final double MINUTE = 1 / 60.0;
    private static final Instant END = MONDAY.plus(Duration.ofDays(1));

    private static Instant minute(int m) {
        return MONDAY.plus(Duration.ofMinutes(m));
    }

    @Test
    void shouldSumEnergyAndNormaliseItByFloorArea() {
        KpiAccumulator kpis = new KpiAccumulator(1_000, MONDAY, END);
        for (int m = 0; m < 120; m++) {
            kpis.add(minute(m), MINUTE, 10.0, 21, 420, true, 20, 24, 1000); // 10 kW for two hours
        }
        ControlKpis k = kpis.kpis();
        assertThat(k.energyKwh()).isCloseTo(20.0, within(1e-9));
        assertThat(k.energyKwhPerM2()).isCloseTo(0.02, within(1e-12));
        assertThat(k.hours()).isCloseTo(2.0, within(1e-9));
        assertThat(k.discomfortKh()).isZero();
    }

    @Test
    void shouldCountKelvinHoursOutsideTheBandOnlyWhileOccupied() {
        KpiAccumulator kpis = new KpiAccumulator(1_000, MONDAY, END);
        for (int m = 0; m < 60; m++) {
            kpis.add(minute(m), MINUTE, 0, 19.0, 420, true, 20, 24, 1000);        // 00:00–01:00 occupied, 1 K too cold: 1 K·h
        }
        for (int m = 60; m < 90; m++) {
            kpis.add(minute(m), MINUTE, 0, 25.5, 420, true, 20, 24, 1000);        // 01:00–01:30 occupied, 1.5 K too warm: 0.75 K·h
        }
        for (int m = 90; m < 150; m++) {
            kpis.add(minute(m), MINUTE, 0, 15.0, 420, false, 20, 24, 1000);       // 01:30–02:30 unoccupied: not counted
        }
        for (int m = 150; m < 210; m++) {
            kpis.add(minute(m), MINUTE, 0, 22.0, 420, true, 20, 24, 1000);        // inside the band
        }
        assertThat(kpis.kpis().discomfortKh()).isCloseTo(1.75, within(1e-9));
    }

    @Test
    void shouldNotCountRoundingOnTheBandsEdgeAsDiscomfort() {
        KpiAccumulator kpis = new KpiAccumulator(1_000, MONDAY, END);
        for (int m = 0; m < 60; m++) {
            kpis.add(minute(m), MINUTE, 0, 20 - 1e-13, 420, true, 20, 24, 1000);  // held on the edge, rounded below it
        }
        assertThat(kpis.kpis().discomfortKh()).isZero();
        for (int m = 60; m < 120; m++) {
            kpis.add(minute(m), MINUTE, 0, 24 + 1e-6, 420, true, 20, 24, 1000);   // a microkelvin over: counted
        }
        assertThat(kpis.kpis().discomfortKh()).isCloseTo(1e-6, within(1e-12));
    }

    @Test
    void shouldCountPpmHoursAboveTheCo2LimitOnlyWhileOccupied() {
        KpiAccumulator kpis = new KpiAccumulator(1_000, MONDAY, END);
        for (int m = 0; m < 60; m++) {
            kpis.add(minute(m), MINUTE, 0, 22, 1_100, true, 20, 24, 1000);  // 100 ppm over for an hour: 100 ppm·h
        }
        for (int m = 60; m < 90; m++) {
            kpis.add(minute(m), MINUTE, 0, 22, 1_300, true, 20, 24, 1000);  // 300 ppm over for half an hour: 150 ppm·h
        }
        for (int m = 90; m < 150; m++) {
            kpis.add(minute(m), MINUTE, 0, 22, 2_000, false, 20, 24, 1000); // unoccupied: not counted
        }
        for (int m = 150; m < 210; m++) {
            kpis.add(minute(m), MINUTE, 0, 22, 999, true, 20, 24, 1000);    // below the limit
        }
        KpiAccumulator other = new KpiAccumulator(1_000, MONDAY, END);
        other.add(minute(0), 1.0, 0, 22, 1_050, true, 20, 24, 1000);       // one hour-long sample: 50 ppm·h
        assertThat(kpis.kpis().co2ExcessPpmH()).isCloseTo(250.0, within(1e-9));
        assertThat(kpis.kpis().discomfortKh()).isZero();
        assertThat(KpiAccumulator.fleet(List.of(kpis, other)).co2ExcessPpmH()).isCloseTo(300.0, within(1e-9));
    }

    @Test
    void shouldTakeThePeakAsTheLargestFifteenMinuteMean() {
        KpiAccumulator kpis = new KpiAccumulator(1_000, MONDAY, END);
        for (int m = 0; m < 15; m++) {
            kpis.add(minute(m), MINUTE, m < 5 ? 30.0 : 0.0, 21, 420, false, 20, 24, 1000); // 00:00–00:15: a 5-minute 30 kW spike, mean 10 kW
        }
        for (int m = 15; m < 30; m++) {
            kpis.add(minute(m), MINUTE, 12.0, 21, 420, false, 20, 24, 1000);              // 00:15–00:30: 12 kW steady
        }
        assertThat(kpis.kpis().peakKw()).isCloseTo(12.0, within(1e-9));
    }

    @Test
    void shouldIgnoreSamplesOutsideTheEvaluatedPeriod() {
        KpiAccumulator kpis = new KpiAccumulator(1_000, minute(60), minute(120));
        for (int m = 0; m < 180; m++) {
            kpis.add(minute(m), MINUTE, 6.0, 10, 420, true, 20, 24, 1000);
        }
        assertThat(kpis.kpis().energyKwh()).isCloseTo(6.0, within(1e-9));
        assertThat(kpis.kpis().discomfortKh()).isCloseTo(10.0, within(1e-9));
        assertThat(kpis.kpis().hours()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void shouldTakeTheFleetsCoincidentPeakNotTheSumOfPeaks() {
        KpiAccumulator a = new KpiAccumulator(1_000, MONDAY, END);
        KpiAccumulator b = new KpiAccumulator(3_000, MONDAY, END);
        for (int m = 0; m < 30; m++) {
            a.add(minute(m), MINUTE, m < 15 ? 20.0 : 0.0, 19.0, 420, true, 20, 24, 1000);  // peaks 00:00–00:15
            b.add(minute(m), MINUTE, m < 15 ? 0.0 : 20.0, 22.0, 420, true, 20, 24, 1000);  // peaks 00:15–00:30
        }
        ControlKpis fleet = KpiAccumulator.fleet(List.of(a, b));
        assertThat(a.kpis().peakKw() + b.kpis().peakKw()).isCloseTo(40.0, within(1e-9));
        assertThat(fleet.peakKw()).isCloseTo(20.0, within(1e-9));
        assertThat(fleet.energyKwh()).isCloseTo(10.0, within(1e-9));
        assertThat(fleet.floorAreaM2()).isEqualTo(4_000);
        assertThat(fleet.energyKwhPerM2()).isCloseTo(10.0 / 4_000, within(1e-12));
        assertThat(fleet.discomfortKh()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void shouldExpressSavingsAgainstTheBaseline() {
        ControlKpis kelvin = new ControlKpis(80, 1_000, 0, 0, 10, 24);
        ControlKpis baseline = new ControlKpis(100, 1_000, 0, 0, 12, 24);
        assertThat(kelvin.energySavingPercent(baseline)).isCloseTo(20.0, within(1e-12));
        assertThat(baseline.energySavingPercent(kelvin)).isCloseTo(-25.0, within(1e-12));
    }
}
