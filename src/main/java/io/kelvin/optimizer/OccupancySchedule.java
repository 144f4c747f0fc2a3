package io.kelvin.optimizer;

import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.OccupancyPeriod;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** A building's occupancy periods, evaluated in its local time zone (DST-aware). */
public final class OccupancySchedule {
    private final BuildingProfile profile;
    private final ZoneId zone;

    public OccupancySchedule(BuildingProfile profile) {
        this.profile = profile;
        this.zone = zoneOf(profile);
    }

    /** The profile's zone, or UTC when it does not name a valid one. */
    public static ZoneId zoneOf(BuildingProfile profile) {
        try {
            return ZoneId.of(profile.getTimeZone());
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    public ZoneId zone() {
        return zone;
    }

    public boolean occupiedAt(long epochMs) {
        ZonedDateTime local = Instant.ofEpochMilli(epochMs).atZone(zone);
        int dow = local.getDayOfWeek().getValue();
        int minute = local.getHour() * 60 + local.getMinute();
        for (OccupancyPeriod p : profile.getOccupancy()) {
            if (p.getDaysOfWeek().contains(dow) && minute >= p.getStartMinuteOfDay() && minute < p.getEndMinuteOfDay()) {
                return true;
            }
        }
        return false;
    }

    /** Whether any part of {@code [fromMs, toMs)} is occupied. */
    public boolean occupiedDuring(long fromMs, long toMs) {
        return occupiedAt(fromMs) || millisUntilOccupied(fromMs) < toMs - fromMs;
    }

    /**
     * Milliseconds from {@code epochMs} until the next occupied period starts: 0 when occupied
     * now, {@link Long#MAX_VALUE} when no period starts within the next two days.
     */
    public long millisUntilOccupied(long epochMs) {
        if (occupiedAt(epochMs)) {
            return 0;
        }
        LocalDate today = Instant.ofEpochMilli(epochMs).atZone(zone).toLocalDate();
        long best = Long.MAX_VALUE;
        for (int d = 0; d <= 2; d++) {
            LocalDate day = today.plusDays(d);
            int dow = day.getDayOfWeek().getValue();
            for (OccupancyPeriod p : profile.getOccupancy()) {
                if (p.getDaysOfWeek().contains(dow) && p.getStartMinuteOfDay() < p.getEndMinuteOfDay()) {
                    long start = day.atStartOfDay(zone).plusMinutes(p.getStartMinuteOfDay()).toInstant().toEpochMilli();
                    if (start > epochMs) {
                        best = Math.min(best, start - epochMs);
                    }
                }
            }
        }
        return best;
    }
}
