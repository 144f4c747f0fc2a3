package io.kelvin.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Keeps simulated time in lockstep with Kelvin's setpoints, so that what the buildings do does
 * not depend on how fast the machine is.
 *
 * <p>Kelvin closes a building's window {@code [W - window, W)} when the stream time of its
 * partition reaches {@code W + grace}, that is when the readings observed at {@code W + grace}
 * arrive, and the command it then emits reaches the equipment {@code applyDelay} after {@code W}
 * ({@link SimulatedBms}; {@code applyDelay} = grace + delivery latency, at least one reading
 * interval). So before the step at {@code t} is simulated, every building's command for every
 * window ending at or before {@code t - applyDelay} must have arrived: {@link #await} blocks until
 * it has, or until a bounded wait passes. A wait that times out is counted, its window is given
 * up (not waited for again) and the buildings still missing are remembered for the report: the
 * run goes on with whatever the BMS has, which is what a real BMS would do.
 *
 * <p>Windows are aligned to the epoch, as Kafka Streams aligns tumbling windows; the first window
 * that counts is the first to end after the simulation's start. Time is read from the injected
 * clock only. Thread-safe: commands arrive on the consumer's thread.
 */
public final class LockstepGate {

    /** How a call to {@link #await} ended. */
    public enum Outcome { READY, WAITED, TIMED_OUT, CANCELLED }

    private final Map<String, Long> newestWindowEndMs = new LinkedHashMap<>();
    private final long windowMs;
    private final long applyDelayMs;
    private final long firstWindowEndMs;
    private final Clock clock;
    private long waivedThroughMs = Long.MIN_VALUE;
    private long ready;
    private long waits;
    private long waitedMs;
    private long timeouts;
    private final List<String> timeoutNotes = new ArrayList<>();

    public LockstepGate(Collection<String> buildingIds, Instant simulationStart, Duration window, Duration applyDelay, Clock clock) {
        if (window.isZero() || window.isNegative() || applyDelay.isNegative()) {
            throw new IllegalArgumentException("window must be positive and the apply delay not negative");
        }
        for (String id : buildingIds) {
            newestWindowEndMs.put(id, Long.MIN_VALUE);
        }
        this.windowMs = window.toMillis();
        this.applyDelayMs = applyDelay.toMillis();
        this.firstWindowEndMs = (Math.floorDiv(simulationStart.toEpochMilli(), windowMs) + 1) * windowMs;
        this.clock = clock;
    }

    /** The end of the newest window whose commands the step at {@code at} needs, or null when none does. */
    public Instant requiredWindowEnd(Instant at) {
        long w = Math.floorDiv(at.toEpochMilli() - applyDelayMs, windowMs) * windowMs;
        return w < firstWindowEndMs ? null : Instant.ofEpochMilli(w);
    }

    /** A command for {@code buildingId}'s window ending {@code windowEnd} has arrived (any source, any validity). */
    public synchronized void commandReceived(String buildingId, Instant windowEnd) {
        Long known = newestWindowEndMs.get(buildingId);
        if (known != null && windowEnd.toEpochMilli() > known) {
            newestWindowEndMs.put(buildingId, windowEnd.toEpochMilli());
            notifyAll();
        }
    }

    /** Whether the step at {@code at} may be simulated now. */
    public synchronized boolean satisfied(Instant at) {
        return missing(at, 1).isEmpty();
    }

    /** Buildings whose command for the window {@code at} needs has not arrived (at most {@code limit}). */
    public synchronized List<String> missing(Instant at, int limit) {
        Instant required = requiredWindowEnd(at);
        if (required == null || required.toEpochMilli() <= waivedThroughMs) {
            return List.of();
        }
        long w = required.toEpochMilli();
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : newestWindowEndMs.entrySet()) {
            if (e.getValue() < w) {
                out.add(e.getKey());
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Blocks until the step at {@code at} may be simulated, or {@code timeout} has passed on the
     * clock.
     */
    public Outcome await(Instant at, Duration timeout) throws InterruptedException {
        return await(at, timeout, () -> false, () -> { });
    }

    /**
     * As {@link #await(Instant, Duration)}, giving up early (not counted) once {@code cancelled}
     * says so, and running {@code beforeWaiting} first when it has to wait (to flush the readings
     * Kelvin needs to close the window).
     */
    public Outcome await(Instant at, Duration timeout, BooleanSupplier cancelled, Runnable beforeWaiting) throws InterruptedException {
        synchronized (this) {
            if (satisfied(at)) {
                ready++;
                return Outcome.READY;
            }
        }
        beforeWaiting.run(); // outside the lock: the consumer thread must be able to deliver meanwhile
        return awaitSlowly(at, timeout, cancelled);
    }

    private synchronized Outcome awaitSlowly(Instant at, Duration timeout, BooleanSupplier cancelled) throws InterruptedException {
        if (satisfied(at)) {
            waits++;
            return Outcome.WAITED;
        }
        long startMs = clock.millis();
        long deadline = startMs + timeout.toMillis();
        while (!satisfied(at)) {
            if (cancelled.getAsBoolean()) {
                return Outcome.CANCELLED;
            }
            long remaining = deadline - clock.millis();
            if (remaining <= 0) {
                timeouts++;
                List<String> missing = missing(at, 5);
                if (timeoutNotes.size() < 10) {
                    timeoutNotes.add("window ending " + requiredWindowEnd(at) + ": no command yet for " + missing
                            + (missing.size() >= 5 ? " and maybe more" : ""));
                }
                waivedThroughMs = requiredWindowEnd(at).toEpochMilli();
                return Outcome.TIMED_OUT;
            }
            wait(Math.min(remaining, 100));
        }
        waits++;
        waitedMs += clock.millis() - startMs;
        return Outcome.WAITED;
    }

    /** Steps that found their commands already there (or needed none). */
    public synchronized long ready() {
        return ready;
    }

    /** Steps that had to wait for a command and got it. */
    public synchronized long waits() {
        return waits;
    }

    /** Wall time spent in waits that ended with the command, ms. */
    public synchronized long waitedMillis() {
        return waitedMs;
    }

    /** Waits that ran out; each gave up one window. */
    public synchronized long timeouts() {
        return timeouts;
    }

    /** What the first timeouts were missing (at most ten). */
    public synchronized List<String> timeoutNotes() {
        return List.copyOf(timeoutNotes);
    }
}
