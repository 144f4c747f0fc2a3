package io.kelvin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code kelvin demo} and {@code kelvin simulate} turn away options that cannot work, before starting anything. */
class SimulationCommandsTest {
    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cli = KelvinCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void shouldRejectASpeedThatIsNotOne() {
        assertThat(run("simulate", "--speed", "fast")).isEqualTo(2);
        assertThat(err.toString()).contains("'fast' is not a speed");
        assertThat(run("demo", "--speed", "-5")).isEqualTo(2);
    }

    @Test
    void shouldRejectImpossibleDaysBeforeConnecting() {
        assertThat(run("simulate", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", "mock://sim-cli", "--days", "0"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("kelvin simulate: --days must be more than 0");
    }

    @Test
    void shouldRejectALearningPeriodAsLongAsTheRun() {
        assertThat(run("demo", "--days", "2", "--learning-days", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("kelvin demo: --learning-days must be at least 0 and less than --days");
    }

    @Test
    void shouldRejectAReadingIntervalThatDoesNotDivideTheWindow() {
        assertThat(run("demo", "--reading-interval", "7m")).isEqualTo(2);
        assertThat(err.toString()).contains("--reading-interval must be at least 1 s and divide the decision window (600 s)");
    }

    @Test
    void shouldRejectAStartThatWouldRunAheadOfTheWallClock() {
        String start = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(run("demo", "--days", "2", "--start", start)).isEqualTo(2);
        assertThat(err.toString()).contains("simulated time must never be ahead of the wall clock");
        assertThat(run("demo", "--start", "yesterday")).isEqualTo(2);
        assertThat(err.toString()).contains("'yesterday' is not an instant");
    }

    @Test
    void shouldListBothCommandsInTheHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("demo").contains("simulate");
    }
}
