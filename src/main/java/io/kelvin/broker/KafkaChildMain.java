package io.kelvin.broker;

import java.io.IOException;
import java.io.InputStream;

/**
 * Main class of the broker child JVM that {@link EmbeddedKafkaBroker} starts: runs {@code
 * kafka.Kafka} with the same arguments, and exits (cleanly, through Kafka's own shutdown hook)
 * as soon as its standard input reaches end of file.
 *
 * <p>Why: the parent holds the write end of that pipe and never writes to it. When the parent
 * dies without running its shutdown hook ({@code kill -9}, an IDE's stop button, a crashed test
 * fork) the operating system closes the pipe, and the broker goes with it instead of living on
 * as an orphan that holds the data directory's lock and ports.
 */
public final class KafkaChildMain {

    private KafkaChildMain() {}

    public static void main(String[] args) {
        Thread watch = new Thread(KafkaChildMain::exitWhenParentGoes, "kelvin-parent-watch");
        watch.setDaemon(true);
        watch.start();
        kafka.Kafka.main(args);
    }

    private static void exitWhenParentGoes() {
        InputStream in = System.in;
        byte[] buffer = new byte[64];
        try {
            while (in.read(buffer) >= 0) {
                // The parent never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end of file: the parent is gone.
        }
        System.err.println("Kelvin: parent process has gone; shutting the broker down");
        System.exit(0);
    }
}
