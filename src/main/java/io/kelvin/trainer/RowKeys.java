package io.kelvin.trainer;

/**
 * Keys of the trainer's row stores: {@code modelKey@decidedAt@buildingId} with the decision time
 * zero-padded to 19 digits, so one model's rows sort by time and a prefix or range scan finds
 * them (and only them: no model key contains {@code @}'s successor at that position).
 */
final class RowKeys {
    private static final char SEPARATOR = '@';

    private RowKeys() {}

    static String of(String modelKey, long decidedAtMs, String buildingId) {
        return prefix(modelKey) + String.format("%019d", Math.max(0, decidedAtMs)) + SEPARATOR + buildingId;
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
        return prefix(modelKey) + String.format("%019d", Math.max(0, ms));
    }
}
