package io.kelvin.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.sim.SimulationOptions;
import io.kelvin.sim.SimulationResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short {@code kelvin demo} on the real embedded broker: three buildings for six simulated
 * hours in lockstep with the optimizer's setpoints, the KPI table and the report at the end.
 */
class DemoIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void shouldCloseTheLoopThroughKafkaAndReportKpis() throws Exception {
        SimulationOptions simulation = new SimulationOptions(3, 0.25, 0.125, Double.POSITIVE_INFINITY, 42, null, Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ofSeconds(60), 0.01, Duration.ofSeconds(5));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        SimulationResult result = new DemoRunner(new DemoRunner.Options(simulation, dir.resolve("data"), 2, dir.resolve("report"), null,
                "kelvin demo --buildings 3 --days 0.25"), out, Clock.systemUTC()).run(() -> false);

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(result.complete()).isTrue();
        assertThat(result.lockstep().timeouts()).as(printed).isZero();
        // 36 windows per building in six hours; the last one closes after the run ends.
        assertThat(result.bms().accepted()).isEqualTo(3 * 35);
        assertThat(result.bms().duplicates() + result.bms().stale()).isZero();
        assertThat(result.bms().commandedShare()).isGreaterThan(0.9);
        assertThat(printed).contains("Published 3 building profiles").contains("setpoints received model")
                .containsPattern("dead letters [1-9]").contains("FLEET").contains("Target (>= 20 % less energy");
        // 34 decisions per building have an outcome (the last window's closes after the run), all by the bundled model.
        assertThat(printed).contains("Models by simulated day").containsPattern("\\d{4}-\\d{2}-\\d{2} +102 .* 102/0/0 ");
        assertThat(Files.readString(dir.resolve("report").resolve("report.html"))).contains("Fleet KPIs");
        assertThat(dir.resolve("report").resolve("fleet-power.png")).isNotEmptyFile();
    }
}
