package io.kelvin.sim;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * What a closed-loop run is asked to do. {@link #validate} turns every bad combination into an
 * {@link IllegalArgumentException} that names the option, for the command line.
 *
 * @param buildings        simulated buildings
 * @param days             simulated days in all
 * @param learningDays     the first days, excluded from the KPIs (Kelvin learns; both twins settle)
 * @param speed            most simulated seconds per wall second; {@link Double#POSITIVE_INFINITY}
 *                         for as fast as the lockstep allows
 * @param seed             seed of the fleet, its weather, people and sensor noise
 * @param start            simulated start, or null for the default ({@link #defaultStart})
 * @param readingInterval  devices publish every this long; also the simulation step
 * @param commandLatency   a command reaches the equipment this long after its window closed
 * @param lockstepTimeout  longest wait for a window's setpoints before going on without them
 * @param glitchRate       share of readings sent as NaN on purpose (dead letters)
 * @param progressEvery    wall-clock interval of progress lines
 */
public record SimulationOptions(int buildings, double days, double learningDays, double speed, long seed, Instant start,
                                Duration readingInterval, Duration commandLatency, Duration lockstepTimeout, double glitchRate,
                                Duration progressEvery) {

    /** Throws {@link IllegalArgumentException} naming the option when something cannot work. */
    public void validate(Duration window, Instant now) {
        if (buildings < 1 || buildings > 100_000) {
            throw new IllegalArgumentException("--buildings must be between 1 and 100000, was " + buildings);
        }
        if (!(days > 0) || days > 366) {
            throw new IllegalArgumentException("--days must be more than 0 and at most 366, was " + days);
        }
        if (!(learningDays >= 0) || learningDays >= days) {
            throw new IllegalArgumentException("--learning-days must be at least 0 and less than --days (" + days + "), was " + learningDays);
        }
        if (!(speed > 0)) {
            throw new IllegalArgumentException("--speed must be positive (or max), was " + speed);
        }
        if (readingInterval.compareTo(Duration.ofSeconds(1)) < 0 || window.toMillis() % readingInterval.toMillis() != 0) {
            throw new IllegalArgumentException("--reading-interval must be at least 1 s and divide the decision window ("
                    + window.toSeconds() + " s), was " + readingInterval.toSeconds() + " s");
        }
        if (commandLatency.compareTo(readingInterval) < 0) {
            throw new IllegalArgumentException("--command-latency must be at least one reading interval (" + readingInterval.toSeconds()
                    + " s): a window closes when the readings after its grace arrive, so its command cannot act before the next step");
        }
        if (lockstepTimeout.isNegative() || lockstepTimeout.isZero()) {
            throw new IllegalArgumentException("--lockstep-timeout must be positive");
        }
        if (!(glitchRate >= 0) || glitchRate > 1) {
            throw new IllegalArgumentException("--glitch-rate must be within [0, 1], was " + glitchRate);
        }
        Instant begin = startOrDefault(now);
        if (begin.plus(length()).isAfter(now)) {
            throw new IllegalArgumentException("--start " + begin + " plus --days " + days + " ends after now (" + now.truncatedTo(ChronoUnit.SECONDS)
                    + "): simulated time must never be ahead of the wall clock; start at least " + days + " days ago");
        }
    }

    public Duration length() {
        return Duration.ofMillis(Math.round(days * 86_400_000));
    }

    public Duration learning() {
        return Duration.ofMillis(Math.round(learningDays * 86_400_000));
    }

    public int steps() {
        return (int) (length().toMillis() / readingInterval.toMillis());
    }

    public Instant startOrDefault(Instant now) {
        return start != null ? start : defaultStart(now, length());
    }

    /**
     * 00:00 UTC of the latest Monday that leaves room for the whole run before {@code now}: the
     * run never gets ahead of the wall clock, and runs on different days of a week simulate the
     * same weekdays (a two-day run is two working days, not a weekend).
     */
    public static Instant defaultStart(Instant now, Duration length) {
        ZonedDateTime latest = now.minus(length).atZone(ZoneOffset.UTC);
        return latest.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).truncatedTo(ChronoUnit.DAYS).toInstant();
    }
}
