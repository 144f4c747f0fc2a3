package io.kelvin.optimizer;

import static io.kelvin.optimizer.OptimizerFixture.office;
import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.config.KelvinConfig;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.PendingWindow;
import io.kelvin.schema.SetpointCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Batching of closed windows across buildings: a batch is decided when it is full, when the
 * wall-clock linger ends, or when a building's next window arrives; one model call ranks every
 * building of the batch that shares the model.
 */
class OptimizerBatchingTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private OptimizerFixture fx;
    private final CountingModel model = new CountingModel(new PhysicsPredictor());

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private void fleet(int batchSize, String... buildings) {
        fx = new OptimizerFixture(model, Map.of(
                KelvinConfig.INFERENCE_BATCH_SIZE_CONFIG, String.valueOf(batchSize),
                KelvinConfig.INFERENCE_BATCH_LINGER_MS_CONFIG, "1000"));
        for (String b : buildings) {
            fx.buildings.pipeInput(b, office(b));
        }
    }

    /** One window of each building, then a reading that closes them all. */
    private void closeOneWindowEach(String... buildings) {
        for (String b : buildings) {
            fx.window(b, T0, 21.0, 5.0, 30.0);
        }
        for (String b : buildings) {
            fx.minute(b, T0.plus(Duration.ofMinutes(12)), 21, 5, 30);
        }
    }

    @Test
    void shouldHoldClosedWindowsUntilTheLingerEndsThenDecideThemInOneCall() {
        fleet(10, "b1", "b2", "b3");
        closeOneWindowEach("b1", "b2", "b3");
        assertThat(fx.setpoints.isEmpty()).as("nothing decided before the linger ends").isTrue();
        assertThat(fx.metrics.windowsClosed()).isEqualTo(3.0);
        KeyValueStore<String, PendingWindow> pending = fx.driver.getKeyValueStore(OptimizerTopology.PENDING_STORE);
        List<String> waiting = new ArrayList<>();
        try (var all = pending.all()) {
            all.forEachRemaining(kv -> waiting.add(kv.key));
        }
        assertThat(waiting).as("the waiting windows are in the changelogged store").containsExactly("b1", "b2", "b3");
        assertThat(pending.get("b2").getWindowEnd()).isEqualTo(T0.plus(Duration.ofMinutes(10)));

        fx.driver.advanceWallClockTime(Duration.ofMillis(1000));

        List<SetpointCommand> commands = fx.setpoints.readValuesToList();
        assertThat(commands).extracting(SetpointCommand::getBuildingId).containsExactly("b1", "b2", "b3");
        assertThat(model.calls).as("one model call for the batch").hasSize(1);
        assertThat(model.calls.get(0)).as("rows: every candidate of every building").isGreaterThan(3);
        assertThat(fx.meters.get("kelvin.optimizer.batch.windows").tag("trigger", "linger").summary().totalAmount()).isEqualTo(3.0);

        assertThat(pending.get("b1")).as("a decided window leaves the store").isNull();
        assertThat(pending.get("b2")).isNull();
        assertThat(pending.get("b3")).isNull();

        fx.driver.advanceWallClockTime(Duration.ofMillis(1000));
        assertThat(fx.setpoints.isEmpty()).as("a decided window is not decided again").isTrue();
    }

    @Test
    void shouldDecideAFullBatchAtOnceWithoutWaitingForTheClock() {
        fleet(2, "b1", "b2", "b3");
        closeOneWindowEach("b1", "b2", "b3");

        assertThat(fx.setpoints.readValuesToList()).extracting(SetpointCommand::getBuildingId).containsExactly("b1", "b2");
        assertThat(model.calls).hasSize(1);

        fx.driver.advanceWallClockTime(Duration.ofMillis(1000));
        assertThat(fx.setpoints.readValuesToList()).extracting(SetpointCommand::getBuildingId).containsExactly("b3");
    }

    @Test
    void shouldDecideABuildingsWindowBeforeItsNextOneJoinsTheBatch() {
        fleet(10, "b1");
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        fx.window("b1", T0.plus(Duration.ofMinutes(10)), 21.2, 5.0, 28.0);  // closes the first window at 09:12
        assertThat(fx.setpoints.isEmpty()).isTrue();

        fx.minute("b1", T0.plus(Duration.ofMinutes(22)), 21, 5, 30);       // closes the second: the first is decided first
        List<SetpointCommand> first = fx.setpoints.readValuesToList();
        assertThat(first).extracting(SetpointCommand::getDecisionId).containsExactly("b1@2026-11-23T09:10:00Z");

        fx.driver.advanceWallClockTime(Duration.ofMillis(1000));
        List<SetpointCommand> second = fx.setpoints.readValuesToList();
        List<Feedback> feedback = fx.feedback.readValuesToList();
        assertThat(second).extracting(SetpointCommand::getDecisionId).containsExactly("b1@2026-11-23T09:20:00Z");
        assertThat(Math.abs(second.get(0).getSetpointC() - first.get(0).getSetpointC())).isLessThanOrEqualTo(0.5 + 1e-9);
        assertThat(feedback).extracting(Feedback::getDecisionId).containsExactly("b1@2026-11-23T09:10:00Z");
        assertThat(fx.meters.get("kelvin.optimizer.batch.windows").tag("trigger", "ordering").summary().count()).isEqualTo(1);
    }

    @Test
    void shouldRankEachBuildingFromItsOwnRowsOfTheSharedCall() {
        fleet(10, "warm", "cold");
        fx.window("warm", T0, 23.5, 5.0, 5.0);
        fx.window("cold", T0, 20.0, -5.0, 60.0);
        fx.minute("warm", T0.plus(Duration.ofMinutes(12)), 23.5, 5, 5);
        fx.minute("cold", T0.plus(Duration.ofMinutes(12)), 20, -5, 60);
        fx.driver.advanceWallClockTime(Duration.ofMillis(1000));

        Map<String, SetpointCommand> batched = byBuilding(fx.setpoints.readValuesToList());
        fx.close();
        fx = null;

        // The same windows decided one at a time must give the same commands.
        Map<String, SetpointCommand> single = new java.util.HashMap<>();
        for (String b : List.of("warm", "cold")) {
            try (OptimizerFixture alone = new OptimizerFixture(new PhysicsPredictor())) {
                alone.buildings.pipeInput(b, office(b));
                double zone = b.equals("warm") ? 23.5 : 20.0;
                double outdoor = b.equals("warm") ? 5.0 : -5.0;
                double power = b.equals("warm") ? 5.0 : 60.0;
                alone.window(b, T0, zone, outdoor, power);
                alone.minute(b, T0.plus(Duration.ofMinutes(12)), zone, outdoor, power);
                single.put(b, alone.setpoints.readValue());
            }
        }
        assertThat(batched).isEqualTo(single);
    }

    private static Map<String, SetpointCommand> byBuilding(List<SetpointCommand> commands) {
        Map<String, SetpointCommand> out = new java.util.HashMap<>();
        commands.forEach(c -> out.put(c.getBuildingId(), c));
        return out;
    }

    /** A model that records the rows of each call it answers. */
    static final class CountingModel implements PredictionModel {
        final PredictionModel inner;
        final List<Integer> calls = new ArrayList<>();

        CountingModel(PredictionModel inner) {
            this.inner = inner;
        }

        @Override
        public String version() {
            return inner.version();
        }

        @Override
        public List<String> featureNames() {
            return inner.featureNames();
        }

        @Override
        public void predict(float[] features, int rows, float[] out) {
            calls.add(rows);
            inner.predict(features, rows, out);
        }
    }
}
