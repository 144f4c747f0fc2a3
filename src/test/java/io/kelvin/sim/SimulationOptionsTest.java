package io.kelvin.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulationOptionsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:54:00Z"); // a Monday
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private static SimulationOptions options(int buildings, double days, double learning, Instant start, Duration interval, Duration latency) {
        return new SimulationOptions(buildings, days, learning, Double.POSITIVE_INFINITY, 42, start, interval, latency,
                Duration.ofSeconds(60), 0, Duration.ofSeconds(5));
    }

    private static SimulationOptions options(double days, double learning) {
        return options(10, days, learning, null, Duration.ofMinutes(1), Duration.ofMinutes(1));
    }

    @Test
    void shouldStartOnTheLatestMondayThatLeavesRoomForTheWholeRun() {
        assertThat(options(2, 1).startOrDefault(NOW)).isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
        assertThat(options(21, 7).startOrDefault(NOW)).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(options(0.5, 0).startOrDefault(NOW)).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(options(21, 7).steps()).isEqualTo(21 * 1440);
    }

    @Test
    void shouldNameTheOptionThatCannotWork() {
        assertThatThrownBy(() -> options(0, 0).validate(WINDOW, NOW)).hasMessageContaining("--days");
        assertThatThrownBy(() -> options(2, 2).validate(WINDOW, NOW)).hasMessageContaining("--learning-days");
        assertThatThrownBy(() -> options(0, 2, 1, null, Duration.ofMinutes(1), Duration.ofMinutes(1)).validate(WINDOW, NOW))
                .hasMessageContaining("--buildings");
        assertThatThrownBy(() -> options(1, 2, 1, null, Duration.ofMinutes(7), Duration.ofMinutes(7)).validate(WINDOW, NOW))
                .hasMessageContaining("--reading-interval").hasMessageContaining("divide");
        assertThatThrownBy(() -> options(1, 2, 1, null, Duration.ofMinutes(2), Duration.ofMinutes(1)).validate(WINDOW, NOW))
                .hasMessageContaining("--command-latency");
        assertThatThrownBy(() -> options(1, 2, 1, Instant.parse("2026-11-22T00:00:00Z"), Duration.ofMinutes(1), Duration.ofMinutes(1))
                .validate(WINDOW, NOW))
                .hasMessageContaining("ahead of the wall clock");
        options(1, 2, 1, Instant.parse("2026-11-21T00:00:00Z"), Duration.ofMinutes(1), Duration.ofMinutes(1)).validate(WINDOW, NOW);
    }
}
