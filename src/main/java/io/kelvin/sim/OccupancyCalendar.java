package io.kelvin.sim;

import io.kelvin.schema.OccupancyPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A building's occupancy periods (as in its {@code BuildingProfile}) evaluated in its local time:
 * whether a moment is scheduled occupied, where in its period it lies, and how soon the next
 * period starts (for the BMS's warm-up). Immutable.
 */
public final class OccupancyCalendar {
    private final List<OccupancyPeriod> periods;
    private final ZoneId zone;

    public OccupancyCalendar(List<OccupancyPeriod> periods, ZoneId zone) {
        this.periods = List.copyOf(periods);
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Where {@code at} falls in local time. */
    public LocalMoment at(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        return new LocalMoment(local.toLocalDate(), local.getDayOfWeek().getValue(), local.getHour() * 60 + local.getMinute());
    }

    /** The period that contains {@code moment}, or null when it is unoccupied. */
    public OccupancyPeriod periodAt(LocalMoment moment) {
        for (OccupancyPeriod p : periods) {
            if (p.getDaysOfWeek().contains(moment.dayOfWeek()) && moment.minuteOfDay() >= p.getStartMinuteOfDay()
                    && moment.minuteOfDay() < p.getEndMinuteOfDay()) {
                return p;
            }
        }
        return null;
    }

    public boolean occupiedAt(Instant at) {
        return periodAt(at(at)) != null;
    }

    /**
     * Minutes from {@code moment} until the next occupied period starts, looking at most
     * {@code horizonMinutes} ahead: 0 when occupied now, {@link Integer#MAX_VALUE} when none
     * starts within the horizon.
     */
    public int minutesUntilOccupied(LocalMoment moment, int horizonMinutes) {
        if (periodAt(moment) != null) {
            return 0;
        }
        int best = Integer.MAX_VALUE;
        for (int day = 0; day * 1440 <= moment.minuteOfDay() + horizonMinutes; day++) {
            int dow = (moment.dayOfWeek() - 1 + day) % 7 + 1;
            for (OccupancyPeriod p : periods) {
                if (p.getDaysOfWeek().contains(dow) && p.getStartMinuteOfDay() < p.getEndMinuteOfDay()) {
                    int until = day * 1440 + p.getStartMinuteOfDay() - moment.minuteOfDay();
                    if (until > 0 && until <= horizonMinutes) {
                        best = Math.min(best, until);
                    }
                }
            }
        }
        return best;
    }

    /**
     * A moment in the building's local time.
     *
     * @param date        local date
     * @param dayOfWeek   ISO day of week, 1 = Monday
     * @param minuteOfDay minutes after local midnight
     */
    public record LocalMoment(LocalDate date, int dayOfWeek, int minuteOfDay) {}
}
