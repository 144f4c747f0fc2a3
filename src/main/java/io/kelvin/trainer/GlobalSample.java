package io.kelvin.trainer;

import io.kelvin.schema.Feedback;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which feedback rows go into the pooled model's sample: a fixed fraction chosen by a hash of
 * building and decision time, so a replay after a crash samples exactly the same rows and every
 * building contributes in proportion to its history. Pure.
 */
record GlobalSample(double rate) {

    GlobalSample {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("Sample rate must be in (0, 1], got " + rate);
        }
    }

    /** Hashes are in [0, 2^32): a row is sampled while its hash lies below a threshold. */
    static final long HASH_RANGE = 1L << 32;

    boolean keeps(Feedback row) {
        return rate >= 1 || hash(row) < threshold();
    }

    /** The threshold this rate samples below. */
    long threshold() {
        return rate >= 1 ? HASH_RANGE : (long) (rate * HASH_RANGE);
    }

    /** The row's hash, of building and decision time: the same row always gets the same. */
    static long hash(Feedback row) {
        CRC32 crc = new CRC32();
        crc.update((row.getBuildingId() + "@" + row.getDecidedAt().toEpochMilli()).getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
