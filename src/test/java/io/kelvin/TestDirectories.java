package io.kelvin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Per-test directories under {@code target/}, so concurrent builds on one machine never share state. */
public final class TestDirectories {
    private TestDirectories() {}

    /** A new, empty Kafka Streams state directory under {@code target/test-state}. */
    public static Path newStateDir() {
        try {
            Path root = Files.createDirectories(Paths.get("target", "test-state"));
            return Files.createTempDirectory(root, "streams-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a state directory under target/test-state", e);
        }
    }
}
