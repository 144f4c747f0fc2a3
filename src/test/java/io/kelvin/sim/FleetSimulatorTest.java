package io.kelvin.sim;

import static io.kelvin.sim.SimFixtures.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.TestClock;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The fleet in a closed loop without Kafka: a scripted optimizer closes windows as Kafka Streams
 * would (when the readings' stream time passes window end + grace) and answers at once, so the
 * loop's lockstep, the BMS and the KPIs run as in a real run, only deterministically.
 */
class FleetSimulatorTest {
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Duration GRACE = Duration.ofMinutes(2);
    private static final Duration LATENCY = Duration.ofMinutes(1);

    private static FleetSimulator fleet(long seed, int buildings, int steps) {
        FleetSimulator.Timeline timeline = new FleetSimulator.Timeline(MONDAY, Duration.ofMinutes(1), steps,
                MONDAY.plus(Duration.ofMinutes(Math.min(360, steps / 2))));
        return new FleetSimulator(new FleetGenerator(seed).generate(buildings), timeline, GRACE.plus(LATENCY), seed);
    }

    private record Run(FleetSimulator simulator, LockstepGate gate, ScriptedOptimizer optimizer, SimulationResult result) {}

    private static Run closedLoop(long seed) throws InterruptedException {
        FleetSimulator simulator = fleet(seed, 3, 1440);
        TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
        LockstepGate gate = new LockstepGate(simulator.buildingIds(), MONDAY, WINDOW, GRACE.plus(LATENCY), clock);
        ScriptedOptimizer optimizer = new ScriptedOptimizer(simulator, gate);
        SimulationLoop loop = new SimulationLoop(simulator, gate, Duration.ofSeconds(30),
                new SimulationPacer(MONDAY, Double.POSITIVE_INFINITY, clock), clock, clock::advance);
        SimulationResult result = loop.run(optimizer, () -> false, p -> { }, Duration.ofSeconds(5));
        return new Run(simulator, gate, optimizer, result);
    }

    @Test
    void shouldRunInLockstepWithTheSetpointsWithoutWaitingOrTimingOut() throws InterruptedException {
        Run run = closedLoop(42);
        assertThat(run.result().complete()).isTrue();
        assertThat(run.gate().timeouts()).isZero();
        assertThat(run.gate().waits()).isZero();                            // every command was there when due
        assertThat(run.gate().ready()).isEqualTo(1440);
        assertThat(run.optimizer().commands).isEqualTo(3 * (1440 / 10 - 1)); // every closed window of every building
        assertThat(run.result().bms().accepted()).isEqualTo(run.optimizer().commands);
        assertThat(run.result().bms().commandedShare()).isGreaterThan(0.98);
        assertThat(run.result().lockstep().timeouts()).isZero();
    }

    @Test
    void shouldReproduceEveryTraceBitForBitFromTheSameSeed() throws InterruptedException {
        Run a = closedLoop(42);
        Run b = closedLoop(42);
        Run c = closedLoop(43);
        assertThat(a.optimizer().readings).isEqualTo(b.optimizer().readings);
        assertThat(a.result().fleetKelvin()).isEqualTo(b.result().fleetKelvin());
        assertThat(a.result().fleetBaseline()).isEqualTo(b.result().fleetBaseline());
        for (int i = 0; i < 3; i++) {
            BuildingTrace ta = a.result().buildings().get(i).trace();
            BuildingTrace tb = b.result().buildings().get(i).trace();
            for (int s = 0; s < ta.slots(); s++) {
                assertThat(ta.kelvinAirC(s)).isEqualTo(tb.kelvinAirC(s));
                assertThat(ta.baselineAirC(s)).isEqualTo(tb.baselineAirC(s));
                assertThat(ta.kelvinKwh(s)).isEqualTo(tb.kelvinKwh(s));
                assertThat(ta.baselineKwh(s)).isEqualTo(tb.baselineKwh(s));
            }
        }
        assertThat(a.optimizer().readings).isNotEqualTo(c.optimizer().readings);
        assertThat(a.result().fleetBaseline()).isNotEqualTo(c.result().fleetBaseline());
    }

    @Test
    void shouldBehaveExactlyLikeTheBaselineWhenNoCommandArrives() {
        FleetSimulator simulator = fleet(7, 4, 2 * 1440);
        List<SensorReading> readings = new ArrayList<>();
        ReadingSink sink = new ReadingSink() {
            @Override
            public void publish(SensorReading reading) {
                readings.add(reading);
            }

            @Override
            public void flush() {
            }
        };
        for (int k = 0; k < 2 * 1440; k++) {
            simulator.step(sink);
        }
        SimulationResult result = simulator.result(new SimulationResult.LockstepStats(0, 0, 0, 0, List.of()));
        assertThat(result.fleetKelvin()).isEqualTo(result.fleetBaseline());
        for (SimulationResult.BuildingResult b : result.buildings()) {
            assertThat(b.kelvin()).isEqualTo(b.baseline());
            assertThat(b.kelvin().energyKwh()).isPositive();
        }
        assertThat(result.bms().commandedShare()).isZero();
        assertThat(readings).hasSize(result.buildings().stream()
                .mapToInt(b -> b.spec().sensors().zoneBiasK().size() + 5).sum() * 2 * 1440);
    }

    @Test
    void shouldHoldToTheSpeedAgainstTheWallClock() throws InterruptedException {
        FleetSimulator simulator = fleet(1, 1, 120);                         // two simulated hours
        TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
        LockstepGate gate = new LockstepGate(simulator.buildingIds(), MONDAY, WINDOW, GRACE.plus(LATENCY), clock);
        Duration[] slept = {Duration.ZERO};
        SimulationLoop loop = new SimulationLoop(simulator, gate, Duration.ofSeconds(30), new SimulationPacer(MONDAY, 3600, clock), clock,
                d -> {
                    slept[0] = slept[0].plus(d);
                    clock.advance(d);
                });
        List<SimulationProgress> progress = new ArrayList<>();
        loop.run(new ScriptedOptimizer(simulator, gate), () -> false, progress::add, Duration.ofMillis(500));
        // The last step starts at 01:59 simulated: 119 s of simulated time per hour ... 7140 s / 3600 = 1.983 s of wall time.
        assertThat(slept[0]).isBetween(Duration.ofMillis(1950), Duration.ofMillis(2000));
        assertThat(progress).last().satisfies(p -> assertThat(p.fraction()).isEqualTo(1.0));
        assertThat(progress.size()).isGreaterThan(2);
    }

    @Test
    void shouldStopWhenAskedAndSayHowFarItGot() throws InterruptedException {
        FleetSimulator simulator = fleet(1, 2, 1440);
        TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
        LockstepGate gate = new LockstepGate(simulator.buildingIds(), MONDAY, WINDOW, GRACE.plus(LATENCY), clock);
        SimulationLoop loop = new SimulationLoop(simulator, gate, Duration.ofSeconds(30),
                new SimulationPacer(MONDAY, Double.POSITIVE_INFINITY, clock), clock, clock::advance);
        SimulationResult result = loop.run(new ScriptedOptimizer(simulator, gate), () -> simulator.stepsDone() >= 600, p -> { },
                Duration.ofSeconds(5));
        assertThat(result.complete()).isFalse();
        assertThat(result.simulatedUntil()).isEqualTo(MONDAY.plus(Duration.ofMinutes(600)));
        assertThat(result.fleetKelvin().hours()).isCloseTo(4.0, org.assertj.core.api.Assertions.within(1e-9)); // 06:00–10:00
    }

    /**
     * Stands in for Kelvin: closes each building's window when stream time reaches its end plus
     * grace, and commands 21 °C when the window's zone readings averaged below 21 °C, else 19.5 °C.
     */
    static final class ScriptedOptimizer implements ReadingSink {
        final List<SensorReading> readings = new ArrayList<>();
        final Map<String, TreeMap<Long, double[]>> zoneSums = new HashMap<>();
        private final FleetSimulator simulator;
        private final LockstepGate gate;
        private long streamTime = Long.MIN_VALUE;
        int commands;

        ScriptedOptimizer(FleetSimulator simulator, LockstepGate gate) {
            this.simulator = simulator;
            this.gate = gate;
        }

        @Override
        public void publish(SensorReading r) {
            readings.add(r);
            long t = r.getObservedAt().toEpochMilli();
            long windowEnd = (Math.floorDiv(t, WINDOW.toMillis()) + 1) * WINDOW.toMillis();
            TreeMap<Long, double[]> windows = zoneSums.computeIfAbsent(r.getBuildingId(), id -> new TreeMap<>());
            double[] sum = windows.computeIfAbsent(windowEnd, w -> new double[2]);
            if (r.getMetric() == Metric.ZONE_TEMPERATURE_C) {
                sum[0] += r.getValue();
                sum[1]++;
            }
            streamTime = Math.max(streamTime, t);
            for (Map.Entry<String, TreeMap<Long, double[]>> building : zoneSums.entrySet()) {
                while (!building.getValue().isEmpty() && building.getValue().firstKey() + GRACE.toMillis() <= streamTime) {
                    Map.Entry<Long, double[]> closed = building.getValue().pollFirstEntry();
                    Instant end = Instant.ofEpochMilli(closed.getKey());
                    double mean = closed.getValue()[0] / closed.getValue()[1];
                    SetpointCommand command = SimFixtures.command(building.getKey(), end, mean < 21 ? 21.0 : 19.5);
                    command.setSource(SetpointSource.MODEL);
                    simulator.offer(command);
                    gate.commandReceived(building.getKey(), end);
                    commands++;
                }
            }
        }

        @Override
        public void flush() {
        }
    }
}
