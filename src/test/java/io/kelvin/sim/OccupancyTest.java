package io.kelvin.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.schema.OccupancyPeriod;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class OccupancyTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final OccupancyCalendar calendar = new OccupancyCalendar(
            List.of(new OccupancyPeriod(List.of(1, 2, 3, 4, 5), 8 * 60, 18 * 60)), BERLIN);
    private final Occupants occupants = new Occupants(100, 0.5, 0.8, 8, 10, 0.3, 99);

    @Test
    void shouldEvaluateTheScheduleInLocalTime() {
        assertThat(calendar.occupiedAt(Instant.parse("2026-11-16T06:59:00Z"))).isFalse(); // 07:59 in Berlin
        assertThat(calendar.occupiedAt(Instant.parse("2026-11-16T07:00:00Z"))).isTrue();  // 08:00 in Berlin
        assertThat(calendar.occupiedAt(Instant.parse("2026-11-21T10:00:00Z"))).isFalse(); // Saturday
    }

    @Test
    void shouldCountMinutesUntilTheNextPeriodAcrossMidnightAndWeekends() {
        var fridayEvening = calendar.at(Instant.parse("2026-11-20T19:00:00Z"));   // Fri 20:00
        var sundayNight = calendar.at(Instant.parse("2026-11-22T22:30:00Z"));     // Sun 23:30
        var mondayNoon = calendar.at(Instant.parse("2026-11-16T11:00:00Z"));      // Mon 12:00
        assertThat(calendar.minutesUntilOccupied(fridayEvening, 180)).isEqualTo(Integer.MAX_VALUE);
        assertThat(calendar.minutesUntilOccupied(sundayNight, 600)).isEqualTo(8 * 60 + 30);
        assertThat(calendar.minutesUntilOccupied(mondayNoon, 60)).isZero();
    }

    @Test
    void shouldPutPeopleInOnlyWhenScheduledAndTheSameOnesEveryTime() {
        int total = 0;
        for (int minute = 0; minute < 7 * 1440; minute++) {
            Instant at = Instant.parse("2026-11-16T00:00:00Z").plusSeconds(60L * minute);
            var moment = calendar.at(at);
            OccupancyPeriod period = calendar.periodAt(moment);
            int people = occupants.peopleAt(moment, period);
            assertThat(people).isEqualTo(occupants.peopleAt(moment, period));
            if (period == null) {
                assertThat(people).isZero();
            } else {
                assertThat(people).isBetween(0, (int) Math.ceil(100 * 0.8 * 1.05));
            }
            total += people;
        }
        assertThat(total).isPositive();
    }

    @Test
    void shouldEmptyTheOfficeForLunchAndVaryByDay() {
        OccupancyPeriod period = new OccupancyPeriod(List.of(1, 2, 3, 4, 5), 8 * 60, 18 * 60);
        var monday = new OccupancyCalendar.LocalMoment(java.time.LocalDate.of(2026, 11, 16), 1, 11 * 60);
        var mondayLunch = new OccupancyCalendar.LocalMoment(monday.date(), 1, 12 * 60 + 30);
        assertThat(occupants.peopleAt(mondayLunch, period)).isLessThan(occupants.peopleAt(monday, period));
        boolean varies = false;
        for (int d = 1; d < 5; d++) {
            var other = new OccupancyCalendar.LocalMoment(monday.date().plusDays(d), 1 + d, 11 * 60);
            varies |= occupants.peopleAt(other, period) != occupants.peopleAt(monday, period);
        }
        assertThat(varies).isTrue();
    }

    @Test
    void shouldGiveOffMoreHeatWithPeopleIn() {
        double empty = occupants.gainsKw(0, false, 1000);
        double full = occupants.gainsKw(100, true, 1000);
        // Empty: 10 % of 8 W/m² lighting and 30 % of 10 W/m² equipment; full: all of it plus 100 × 75 W.
        assertThat(empty).isCloseTo(0.8 + 3.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(full).isCloseTo(8 + 10 + 7.5, org.assertj.core.api.Assertions.within(1e-9));
    }
}
