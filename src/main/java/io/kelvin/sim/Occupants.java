package io.kelvin.sim;

import io.kelvin.schema.OccupancyPeriod;

/**
 * How many people are in a building and the heat they, the lights and the equipment give off.
 *
 * <p>People are present only in scheduled periods. Each day draws its own attendance (a share of
 * the design occupancy between {@code minDailyPresence} and {@code maxDailyPresence}: desks are
 * never all used); people arrive over the first {@value #RAMP_MINUTES} minutes of a period and
 * leave over its last {@value #RAMP_MINUTES}, a quarter of them are out for lunch between 12:00
 * and 13:30, and each minute varies by a few percent. The draw is a pure function of the seed,
 * the date and the minute, so both twins of a building see the same people.
 *
 * <p>Gains: {@value #SENSIBLE_W_PER_PERSON} W sensible per person (moderately active office work, ASHRAE
 * Handbook—Fundamentals 2021 ch. 18, table 1); lighting at full power in scheduled periods and
 * 10 % otherwise; equipment between its base load and full power in proportion to the people
 * present (load densities in {@link FleetGenerator}).
 *
 * @param designPeople       people at full occupancy
 * @param minDailyPresence   lowest daily attendance, share of design
 * @param maxDailyPresence   highest daily attendance, share of design
 * @param lightingWPerM2     installed lighting power density
 * @param equipmentWPerM2    equipment power density at full occupancy
 * @param equipmentBaseShare share of equipment power drawn when nobody is in
 * @param seed               seed of the attendance draws
 */
public record Occupants(int designPeople, double minDailyPresence, double maxDailyPresence, double lightingWPerM2,
                        double equipmentWPerM2, double equipmentBaseShare, long seed) {

    static final int RAMP_MINUTES = 60;
    static final double SENSIBLE_W_PER_PERSON = 75;
    static final double LIGHTING_OFF_SHARE = 0.1;

    /** People present at {@code moment}, given the period it lies in (null: none). */
    public int peopleAt(OccupancyCalendar.LocalMoment moment, OccupancyPeriod period) {
        if (period == null || designPeople == 0) {
            return 0;
        }
        long day = moment.date().toEpochDay();
        double attendance = minDailyPresence + (maxDailyPresence - minDailyPresence) * uniform(seed, day);
        int m = moment.minuteOfDay();
        double arriving = Math.min(1, (m - period.getStartMinuteOfDay() + 1) / (double) RAMP_MINUTES);
        double leaving = Math.min(1, (period.getEndMinuteOfDay() - m) / (double) RAMP_MINUTES);
        double shape = Math.max(0, Math.min(arriving, leaving));
        if (m >= 12 * 60 && m < 13 * 60 + 30) {
            shape *= 0.75;
        }
        double jitter = 1 + 0.05 * (2 * uniform(seed ^ 0x5DEECE66DL, day * 1440 + m) - 1);
        return (int) Math.round(designPeople * attendance * shape * jitter);
    }

    /** Internal heat gains (kW) with {@code people} present in a building of {@code floorAreaM2}. */
    public double gainsKw(int people, boolean scheduledOccupied, double floorAreaM2) {
        double presence = designPeople == 0 ? 0 : Math.min(1, people / (double) designPeople);
        double lighting = lightingWPerM2 * (scheduledOccupied ? 1 : LIGHTING_OFF_SHARE);
        double equipment = equipmentWPerM2 * (equipmentBaseShare + (1 - equipmentBaseShare) * presence);
        return (people * SENSIBLE_W_PER_PERSON + (lighting + equipment) * floorAreaM2) / 1000;
    }

    /** A uniform number in [0, 1) that depends only on {@code seed} and {@code key} (SplitMix64's finaliser). */
    static double uniform(long seed, long key) {
        long z = seed + key * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
