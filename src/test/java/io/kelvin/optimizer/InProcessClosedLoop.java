package io.kelvin.optimizer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.ModelContract;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.sim.BuildingSpec;
import io.kelvin.sim.FleetGenerator;
import io.kelvin.sim.FleetSimulator;
import io.kelvin.sim.ReadingSink;
import io.kelvin.sim.SimulationResult;
import io.kelvin.trainer.TrainerFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The simulated fleet driven by the real optimizer topology (bundled ONNX model, real inference)
 * in a TopologyTestDriver instead of a broker: windows close on the readings' stream time exactly
 * as on Kafka, and each command reaches its building's BMS before the step it applies to. The
 * control {@code kelvin demo} measures, deterministically and in seconds. With the trainer, its
 * topology runs in a second driver as in the demo (a short minimum of rows, every row in the
 * pooled sample): the optimizer's feedback goes to it, its model releases come back to the
 * optimizer, and its wall-clock ticks advance one per simulated minute.
 */
final class InProcessClosedLoop {
    private static final String BUNDLED = "classpath:kelvin/models/bundled.onnx";
    /** As in the demo: a command reaches the equipment a minute after its window's grace. */
    private static final Duration COMMAND_LATENCY = Duration.ofMinutes(1);

    /** The KPIs, every command the optimizer emitted and every model release the trainer published, in order. */
    record Run(SimulationResult result, List<SetpointCommand> commands, List<ModelRelease> releases) {}

    private static final Duration TRAINER_TICK = Duration.ofSeconds(1);
    /** The demo's trainer settings: a short minimum of rows, every row in the pooled sample. */
    private static final Map<String, String> TRAINER_SETTINGS = Map.of(
            KelvinConfig.TRAINER_MIN_ROWS_CONFIG, "100",
            KelvinConfig.TRAINER_GLOBAL_SAMPLE_RATE_CONFIG, "1.0",
            KelvinConfig.TRAINER_TICK_MS_CONFIG, String.valueOf(TRAINER_TICK.toMillis()));

    private InProcessClosedLoop() {
    }

    /**
     * Simulates {@code buildings} generated from {@code seed} for {@code days} from {@code start}
     * (a reading per point per minute), the first {@code learningDays} excluded from the KPIs;
     * {@code settings} override the optimizer's.
     */
    static Run run(int buildings, double days, double learningDays, long seed, Instant start, Map<String, String> settings)
            throws Exception {
        return run(buildings, days, learningDays, seed, start, settings, false);
    }

    static Run run(int buildings, double days, double learningDays, long seed, Instant start, Map<String, String> settings,
                   boolean withTrainer) throws Exception {
        try (OptimizerFixture fixture = new OptimizerFixture(null, settings);
             TrainerFixture trainer = withTrainer ? new TrainerFixture(TRAINER_SETTINGS) : null) {
            fixture.models.install(ModelContract.BUNDLED_KEY,
                    fixture.engine.load(ModelContract.BUNDLED_KEY, ModelSource.read(BUNDLED)));
            Duration grace = Duration.ofMillis(fixture.config.getLong(KelvinConfig.WINDOW_GRACE_MS_CONFIG));
            int steps = (int) Math.round(days * 1440);
            FleetSimulator.Timeline timeline = new FleetSimulator.Timeline(start, Duration.ofMinutes(1), steps,
                    start.plus(Duration.ofMinutes(Math.round(learningDays * 1440))));
            List<BuildingSpec> specs = new FleetGenerator(seed).generate(buildings);
            FleetSimulator simulator = new FleetSimulator(specs, timeline, grace.plus(COMMAND_LATENCY), seed);
            for (BuildingSpec spec : specs) {
                fixture.buildings.pipeInput(spec.id(), spec.profile(), start.toEpochMilli());
                if (trainer != null) {
                    trainer.buildings.pipeInput(spec.id(), spec.profile(), start.toEpochMilli());
                }
            }
            ReadingSink sink = new ReadingSink() {
                @Override
                public void publish(SensorReading reading) {
                    fixture.pipe(reading);
                }

                @Override
                public void flush() {
                }
            };
            List<SetpointCommand> commands = new ArrayList<>();
            List<ModelRelease> releases = new ArrayList<>();
            for (int k = 0; k < steps; k++) {
                simulator.step(sink);
                for (SetpointCommand command : fixture.setpoints.readValuesToList()) {
                    commands.add(command);
                    simulator.offer(command);
                }
                List<TestRecord<String, Feedback>> feedback = fixture.feedback.readRecordsToList();
                if (trainer != null) {
                    feedback.forEach(r -> trainer.feedback.pipeInput(r.key(), r.value(), r.timestamp()));
                    trainer.driver.advanceWallClockTime(TRAINER_TICK);
                    for (ModelRelease release : trainer.releases.readValuesToList()) {
                        releases.add(release);
                        fixture.releases.pipeInput(release.getModelKey(), release);
                    }
                    trainer.reports.readValuesToList();
                }
            }
            return new Run(simulator.result(new SimulationResult.LockstepStats(steps, 0, 0, 0, List.of())), commands, releases);
        }
    }
}
