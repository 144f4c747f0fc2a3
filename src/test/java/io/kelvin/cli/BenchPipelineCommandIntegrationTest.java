package io.kelvin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kelvin bench pipeline} end to end at a tiny size on a real embedded broker: every window
 * is decided and the report is well-formed. Asserts no speed: figures on a shared machine vary.
 */
class BenchPipelineCommandIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void shouldDecideEveryWindowAndReportEveryPhase() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = KelvinCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        Path json = dir.resolve("bench.json");

        int exit = cli.execute("bench", "pipeline", "--buildings", "20", "--points", "2", "--minutes", "30", "--partitions", "2", "--bursts", "2",
                "--data-dir", dir.resolve("data").toString(), "--output", json.toString());

        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .contains("exactly_once_v2: 20 buildings x 2 points x 30 minutes = 1,200 readings, 2 partitions")
                // 3 windows of 20 buildings, and the second burst's window of each and of the 2 closing keys.
                .contains("decisions: 82 of 82 windows")
                .contains("ratios: c/b ");
        JsonNode run = new ObjectMapper().readTree(json.toFile()).get("runs").get(0);
        assertThat(run.get("guarantee").asText()).isEqualTo("exactly_once_v2");
        for (String phase : new String[] {"raw", "baseline", "optimizer"}) {
            assertThat(run.get(phase).get("records").asLong()).as(phase).isEqualTo(1200);
            assertThat(run.get(phase).get("readingsPerSecond").asDouble()).as(phase).isPositive();
        }
        // From every building's first window on (minute 12 of 30); a run this small may finish
        // within one 20 ms poll after it, and then nothing is counted after the mark.
        for (String phase : new String[] {"baseline", "optimizer"}) {
            assertThat(run.get(phase).get("steady").get("records").asLong()).as(phase).isBetween(0L, 1199L);
        }
        assertThat(run.has("ratioOptimizerOverBaselineSteady")).isTrue();
        assertThat(run.get("decisions").get("decided").asLong()).isEqualTo(82);
        // The live close decides the last window of all 20 buildings; each setpoint has a latency.
        assertThat(run.get("setpointLatencyMs").get("count").asLong()).isEqualTo(20);
        assertThat(run.get("setpointLatencyMs").get("p99Ms").asDouble()).isPositive();
        // Steady close: the next window was opened (and committed) before the closing readings.
        assertThat(out.toString()).contains("next window opened: 2 readings processed");
        assertThat(run.get("setpointLatencyMs").get("allDecidedMs").asDouble()).isPositive();
        // The second burst: a window of readings sent live (20 x 2 x 10), then closed; again a setpoint per building.
        assertThat(out.toString()).contains("live window: 400 readings sent and processed");
        assertThat(run.get("laterBursts")).hasSize(1);
        assertThat(run.get("laterBursts").get(0).get("count").asLong()).isEqualTo(20);
        assertThat(run.get("laterBursts").get(0).get("allDecidedMs").asDouble()).isPositive();
        assertThat(run.get("footprint").get("stateBytes").asLong()).isPositive();
    }
}
