package io.kelvin.sim;

import static io.kelvin.sim.SimFixtures.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.TestClock;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KPI table and the HTML report with its charts, from a short closed-loop run. */
class SimulationReportTest {
    private static SimulationResult result;

    @TempDir
    Path dir;

    @BeforeAll
    static void run() throws InterruptedException {
        FleetSimulator.Timeline timeline = new FleetSimulator.Timeline(MONDAY, Duration.ofMinutes(1), 2 * 1440, MONDAY.plus(Duration.ofDays(1)));
        FleetSimulator simulator = new FleetSimulator(new FleetGenerator(9).generate(4), timeline, Duration.ofMinutes(3), 9);
        TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
        LockstepGate gate = new LockstepGate(simulator.buildingIds(), MONDAY, Duration.ofMinutes(10), Duration.ofMinutes(3), clock);
        result = new SimulationLoop(simulator, gate, Duration.ofSeconds(30), new SimulationPacer(MONDAY, Double.POSITIVE_INFINITY, clock),
                clock, clock::advance).run(new FleetSimulatorTest.ScriptedOptimizer(simulator, gate), () -> false, p -> { },
                Duration.ofSeconds(5));
    }

    @Test
    void shouldPrintTheKpisOfEveryBuildingAndTheFleet() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        KpiTable.print(result, 25, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);

        assertThat(table).contains("evaluated 2026-11-17T00:00:00Z .. 2026-11-18T00:00:00Z (1.0 days, after 1.0 days of learning)");
        for (SimulationResult.BuildingResult b : result.buildings()) {
            assertThat(table).contains(b.spec().id() + " ");
        }
        assertThat(table).contains("FLEET").contains(String.format(Locale.ROOT, "%,11.0f", result.fleetBaseline().energyKwh()).strip());
        assertThat(table).contains("Target (>= 20 % less energy, discomfort no higher)");
        assertThat(table).doesNotContain("NaN");
    }

    @Test
    void shouldWriteAReportWithChartsAPersonCanOpen() throws IOException {
        Path html = SimulationReport.write(result, dir, "kelvin demo --buildings 4");

        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("kelvin demo --buildings 4").contains("Fleet KPIs")
                .contains("ISO 13790").doesNotContain("NaN");
        for (SimulationResult.BuildingResult b : result.buildings()) {
            assertThat(page).contains("<td class=\"l\">" + b.spec().id() + "</td>");
        }
        for (String chart : new String[] {"fleet-power.png", "fleet-temperature.png", "fleet-co2.png", "fleet-daily-energy.png",
                "savings-by-building.png", result.buildings().get(0).spec().id() + ".png"}) {
            assertThat(page).contains("<img src=\"" + chart + "\"");
            BufferedImage image = ImageIO.read(dir.resolve(chart).toFile());
            assertThat(image).as(chart).isNotNull();
            assertThat(image.getWidth()).isEqualTo(1100);
        }
    }
}
