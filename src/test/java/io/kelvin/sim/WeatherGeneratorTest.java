package io.kelvin.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WeatherGeneratorTest {
    private static final Instant JANUARY = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant JUNE = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void shouldRepeatItselfForTheSameSeedAndDifferForAnother() {
        WeatherSeries a = new WeatherGenerator(Climate.BERLIN, 7).series(JANUARY, Duration.ofMinutes(10), 3000);
        WeatherSeries b = new WeatherGenerator(Climate.BERLIN, 7).series(JANUARY, Duration.ofMinutes(10), 3000);
        WeatherSeries c = new WeatherGenerator(Climate.BERLIN, 8).series(JANUARY, Duration.ofMinutes(10), 3000);
        boolean differs = false;
        for (int k = 0; k < a.steps(); k++) {
            assertThat(a.outdoorC(k)).isEqualTo(b.outdoorC(k));
            assertThat(a.globalHorizontalWm2(k)).isEqualTo(b.globalHorizontalWm2(k));
            assertThat(a.cloudCover(k)).isEqualTo(b.cloudCover(k));
            differs |= a.outdoorC(k) != c.outdoorC(k);
        }
        assertThat(differs).isTrue();
    }

    @Test
    void shouldFollowTheSeasonsOfItsClimate() {
        for (Climate climate : Climate.values()) {
            double january = mean(new WeatherGenerator(climate, 1).series(JANUARY, Duration.ofHours(1), 31 * 24));
            double july = mean(new WeatherGenerator(climate, 1).series(Instant.parse("2026-07-01T00:00:00Z"), Duration.ofHours(1), 31 * 24));
            // Fronts and the residual add weather, not climate: monthly means stay near the normals.
            assertThat(january).as("%s January", climate).isCloseTo(climate.seasonalMeanC(15), within(3.0));
            assertThat(july).as("%s July", climate).isCloseTo(climate.seasonalMeanC(196), within(3.0));
            assertThat(july - january).as("%s seasonal swing", climate).isGreaterThan(climate.annualAmplitudeK());
        }
    }

    @Test
    void shouldBeWarmerInTheAfternoonThanBeforeDawn() {
        WeatherSeries w = new WeatherGenerator(Climate.PARIS, 3).series(JUNE, Duration.ofHours(1), 60 * 24);
        double afternoon = 0;
        double dawn = 0;
        for (int day = 0; day < 60; day++) {
            afternoon += w.outdoorC(day * 24 + 14); // 14:00 UTC ≈ 14:10 solar time in Paris
            dawn += w.outdoorC(day * 24 + 3);
        }
        assertThat((afternoon - dawn) / 60).isBetween(4.0, 14.0);
    }

    @Test
    void shouldLetFrontsPass() {
        WeatherSeries w = new WeatherGenerator(Climate.AMSTERDAM, 11).series(JANUARY, Duration.ofHours(1), 90 * 24);
        double[] daily = new double[90];
        for (int k = 0; k < w.steps(); k++) {
            daily[k / 24] += w.outdoorC(k) / 24;
        }
        double sumSq = 0;
        for (int d = 1; d < 90; d++) {
            double seasonal = Climate.AMSTERDAM.seasonalMeanC(d + 0.5);
            sumSq += (daily[d] - seasonal) * (daily[d] - seasonal);
        }
        double anomalySd = Math.sqrt(sumSq / 89);
        // Day-to-day anomalies of a few kelvin, as mid-latitude winters have; not a smooth cosine, not noise.
        assertThat(anomalySd).isBetween(1.5, 7.0);
    }

    @Test
    void shouldShineOnlyByDayAndWithinClearSkyBounds() {
        WeatherSeries w = new WeatherGenerator(Climate.MADRID, 5).series(JUNE, Duration.ofMinutes(10), 30 * 144);
        for (int k = 0; k < w.steps(); k++) {
            assertThat(w.cloudCover(k)).isBetween(0.0, 1.0);
            assertThat(w.globalHorizontalWm2(k)).isBetween(0.0, 1100.0);
            Instant at = JUNE.plus(Duration.ofMinutes(10L * k));
            if (SolarGeometry.cosZenith(Climate.MADRID.latitudeDeg(), Climate.MADRID.longitudeDeg(), at) <= 0) {
                assertThat(w.globalHorizontalWm2(k)).isZero();
            }
        }
    }

    @Test
    void shouldPutTheSunWhereGeometrySaysAtNoon() {
        // Solar noon on the March equinox: zenith angle = latitude (declination about 0).
        double lat = 52.5;
        Instant noon = Instant.parse("2026-03-20T12:00:00Z").minusSeconds((long) (13.4 / 15 * 3600)).plusSeconds(7 * 60);
        assertThat(SolarGeometry.cosZenith(lat, 13.4, noon)).isCloseTo(Math.cos(Math.toRadians(lat)), within(0.02));
        // Haurwitz clear sky with the sun overhead: 1098 e^-0.057 = 1037 W/m².
        assertThat(SolarGeometry.clearSkyGlobalHorizontal(1)).isCloseTo(1037.2, within(0.5));
        assertThat(SolarGeometry.cloudTransmission(1)).isCloseTo(0.25, within(1e-12));
        assertThat(SolarGeometry.cloudTransmission(0)).isEqualTo(1.0);
    }

    private static double mean(WeatherSeries w) {
        double sum = 0;
        for (int k = 0; k < w.steps(); k++) {
            sum += w.outdoorC(k);
        }
        return sum / w.steps();
    }
}
