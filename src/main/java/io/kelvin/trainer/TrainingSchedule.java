package io.kelvin.trainer;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When a model is due, in a building's local time and by stream time only: training for local
 * day {@code D} is due once stream time has reached {@code D} at the training hour; it holds out
 * day {@code D-1} (local midnight to midnight) and learns from the days before it. Pure.
 */
public record TrainingSchedule(int hour) {

    public TrainingSchedule {
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("Training hour must be 0..23, got " + hour);
        }
    }

    /** The latest local day whose training hour stream time {@code nowMs} has reached in {@code zone}. */
    public LocalDate dueDay(long nowMs, ZoneId zone) {
        ZonedDateTime local = Instant.ofEpochMilli(nowMs).atZone(zone);
        LocalDate today = local.toLocalDate();
        return local.toLocalTime().isBefore(LocalTime.of(hour, 0)) ? today.minusDays(1) : today;
    }

    /** Start of local day {@code day} in {@code zone}, epoch ms (the first instant of the day, so DST gaps are safe). */
    public static long startOf(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
