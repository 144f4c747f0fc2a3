package io.kelvin.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulationPacerTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void shouldNeverLetSimulatedTimeOvertakeTheWallClock() {
        TestClock wall = new TestClock(NOW);
        SimulationPacer pacer = new SimulationPacer(NOW.minus(Duration.ofDays(2)), Double.POSITIVE_INFINITY, wall);
        assertThat(pacer.delayBefore(NOW.minusSeconds(60))).isZero();
        assertThat(pacer.delayBefore(NOW)).isZero();
        assertThat(pacer.delayBefore(NOW.plusSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        wall.advance(Duration.ofSeconds(30));
        assertThat(pacer.delayBefore(NOW.plusSeconds(30))).isZero();
    }

    @Test
    void shouldHoldToTheSpeed() {
        TestClock wall = new TestClock(NOW);
        Instant start = NOW.minus(Duration.ofDays(2));
        SimulationPacer pacer = new SimulationPacer(start, 3600, wall);   // one simulated hour per wall second
        assertThat(pacer.delayBefore(start)).isZero();
        assertThat(pacer.delayBefore(start.plus(Duration.ofHours(1)))).isEqualTo(Duration.ofSeconds(1));
        wall.advance(Duration.ofMillis(400));
        assertThat(pacer.delayBefore(start.plus(Duration.ofHours(1)))).isEqualTo(Duration.ofMillis(600));
        wall.advance(Duration.ofMillis(600));
        assertThat(pacer.delayBefore(start.plus(Duration.ofHours(1)))).isZero();
    }
}
