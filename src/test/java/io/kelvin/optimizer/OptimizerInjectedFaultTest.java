package io.kelvin.optimizer;

import static io.kelvin.optimizer.OptimizerFixture.office;
import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.errors.DeadLetterReason;
import io.kelvin.errors.DeadLetters;
import io.kelvin.schema.SetpointCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bug, not bad input: an exception thrown once from inside the optimize step (here the
 * model's feature list, while ranking one building's second window). The stream thread keeps
 * running; the record being processed (the reading that closed the window, already aggregated) is
 * dead-lettered with reason processing-error; every window, the one that failed included, is
 * decided exactly once.
 */
class OptimizerInjectedFaultTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private OptimizerFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    /** The physics model, except that its {@code failOn}-th feature-names call throws. */
    private static final class FailingOnce implements PredictionModel {
        private final PhysicsPredictor physics = new PhysicsPredictor();
        private final AtomicInteger calls = new AtomicInteger();
        private final int failOn;

        FailingOnce(int failOn) {
            this.failOn = failOn;
        }

        @Override
        public String version() {
            return physics.version();
        }

        @Override
        public List<String> featureNames() {
            if (calls.incrementAndGet() == failOn) {
                throw new IllegalStateException("injected fault");
            }
            return physics.featureNames();
        }

        @Override
        public void predict(float[] features, int rows, float[] out) {
            physics.predict(features, rows, out);
        }
    }

    @Test
    void shouldDeadLetterTheRecordOnAnInjectedExceptionAndKeepDeciding() {
        // One ranking per closed window (batch size 1), in stream-time order b1, b2, b1, ...:
        // the third is b1's second window.
        fx = new OptimizerFixture(new FailingOnce(3));
        fx.buildings.pipeInput("b1", office("b1"));
        fx.buildings.pipeInput("b2", office("b2"));
        for (int w = 0; w < 4; w++) {
            fx.window("b1", T0.plus(Duration.ofMinutes(10L * w)), 21, 5, 30);
            fx.window("b2", T0.plus(Duration.ofMinutes(10L * w)), 21, 5, 30);
        }
        fx.minute("b1", T0.plus(Duration.ofMinutes(42)), 21, 5, 30);        // closes window 3 of b1
        fx.minute("b2", T0.plus(Duration.ofMinutes(42)), 21, 5, 30);        // and of b2

        List<TestRecord<byte[], byte[]>> letters = fx.deadLetterTopic.readRecordsToList();
        assertThat(letters).hasSize(1);
        assertThat(new String(letters.get(0).headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("processing-error");
        assertThat(new String(letters.get(0).headers().lastHeader(DeadLetters.MESSAGE_HEADER).value(), StandardCharsets.UTF_8))
                .contains("injected fault");
        assertThat(fx.deadLetters.count(DeadLetterReason.PROCESSING_ERROR)).isEqualTo(1.0);

        List<SetpointCommand> commands = fx.setpoints.readValuesToList();
        List<String> ids = commands.stream().map(SetpointCommand::getDecisionId).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids.stream().filter(id -> id.startsWith("b2@"))).as("the other building is unaffected").hasSize(4);
        // The window whose ranking threw stays in the changelogged pending store and is decided by
        // the next flush (here the one b2's closing window triggers): delayed, not lost.
        assertThat(ids).hasSize(8).contains("b1@2026-11-23T09:20:00Z");
    }
}
