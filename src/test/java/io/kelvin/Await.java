package io.kelvin;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Waits for something other threads or processes change, checking it at an interval, for a bounded time. */
public final class Await {
    private Await() {}

    /**
     * Reads {@code read} until {@code done} accepts what it returns or {@code bound} has passed;
     * returns the last value read, for the caller to assert on (so a timeout fails with the value).
     */
    public static <T> T until(Duration bound, Duration interval, Callable<T> read, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        T value = read.call();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(interval.toMillis());
            value = read.call();
        }
        return value;
    }
}
