package io.kelvin.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A finished child process: exit code and output (stdout and stderr together). */
record ProcessRun(int exitCode, String output) {

    /** Runs {@code command} with only {@code env} in its environment; fails after {@code timeout}. */
    static ProcessRun of(List<String> command, Map<String, String> env, Path workDir, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        // Output is small (help text, a few probe lines); read it all, then wait.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeout + ":\n" + output);
        }
        return new ProcessRun(process.exitValue(), output);
    }
}
