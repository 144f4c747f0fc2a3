package io.kelvin.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM / Ctrl-C for long-running commands: the JVM's shutdown hook releases {@link #await}
 * and then holds the JVM until the command says {@link #closed}, so Kafka Streams can commit,
 * leave its group and release its state directory before the process ends.
 */
final class ShutdownSignal {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    static ShutdownSignal install() {
        ShutdownSignal signal = new ShutdownSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signal.requested.countDown();
            try {
                signal.closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kelvin-shutdown"));
        return signal;
    }

    /** Blocks until shutdown is requested. */
    void await() throws InterruptedException {
        requested.await();
    }

    /** Blocks until shutdown is requested or {@code timeout} passes; true if requested. */
    boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean requested() {
        return requested.getCount() == 0;
    }

    /** The command has released its resources; the JVM may exit. */
    void closed() {
        closed.countDown();
    }
}
