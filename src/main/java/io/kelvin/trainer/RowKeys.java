package io.kelvin.trainer;

/**
 * Keys of the trainer's row stores: {@code modelKey@decidedAt@buildingId} with the decision time
 * zero-padded to 19 digits, so one model's rows sort by time and a prefix or range scan finds
 * them (and only them: no model key contains {@code @}'s successor at that position).
 */
final class RowKeys {
    private static final char SEPARATOR = '@';
    private static final int TIME_DIGITS = 19;

    private RowKeys() {}

    static String of(String modelKey, long decidedAtMs, String buildingId) {
        return from(modelKey, decidedAtMs) + SEPARATOR + buildingId;
    }

    /** The decision time a key of {@link #of} stands for (negative times are kept as 0). */
    static long clamp(long decidedAtMs) {
        return Math.max(0, decidedAtMs);
    }

    /** Every row key of {@code modelKey} starts with this. */
    static String prefix(String modelKey) {
        return modelKey + SEPARATOR;
    }

    /**
     * A bound below every key of {@code modelKey} decided at or after {@code ms} and above every
     * key decided before it (no row key equals it: row keys end with the building id).
     */
    static String from(String modelKey, long ms) {
        return prefix(modelKey) + String.format("%0" + TIME_DIGITS + "d", clamp(ms));
    }

    /** A bound above every key of {@code modelKey} (and below every other model's keys that sort after). */
    static String end(String modelKey) {
        return from(modelKey, Long.MAX_VALUE);
    }

    /** The decision time in {@code rowKey}, a key of {@code modelKey} made by {@link #of}. */
    static long decidedAtOf(String modelKey, String rowKey) {
        int start = prefix(modelKey).length();
        return Long.parseLong(rowKey, start, start + TIME_DIGITS, 10);
    }
}
