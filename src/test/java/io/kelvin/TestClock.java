package io.kelvin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand; optionally it jumps by {@code stepPerRead} every time it is read. */
public final class TestClock extends Clock {
    private Instant now;
    private final Duration stepPerRead;

    public TestClock(Instant now) {
        this(now, Duration.ZERO);
    }

    public TestClock(Instant now, Duration stepPerRead) {
        this.now = now;
        this.stepPerRead = stepPerRead;
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public synchronized Instant instant() {
        Instant t = now;
        now = now.plus(stepPerRead);
        return t;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
