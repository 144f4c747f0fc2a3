package io.kelvin.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Closing a model while threads predict with it: no call touches a closed session (that would
 * crash the JVM, failing the whole test run), every call either completes correctly or gets a
 * {@link ModelClosedException}, and the session ends closed.
 */
class OnnxModelCloseTest {

    private static final int ROWS = 64;

    private final InferenceEngine engine = InferenceEngine.create(InferenceSettings.defaults(RequestedDevice.CPU),
            new SimpleMeterRegistry());
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        engine.close();
    }

    @Test
    void shouldFailCleanlyWhenACallStartsAfterClose() throws Exception {
        OnnxModel model = engine.load("building-7", TestModels.linear().bytes());

        model.close();

        assertThat(model.isClosed()).isTrue();
        assertThat(model.isSessionClosed()).isTrue();
        assertThatThrownBy(() -> model.predict(new float[3], 1, new float[2]))
                .isInstanceOf(ModelClosedException.class)
                .hasMessage("Model linear-test-1 (key building-7) is closed");
    }

    @Test
    void shouldKeepTheSessionOpenUntilTheLastCallInFlightReturns() throws Exception {
        OnnxModel model = engine.load("building-7", TestModels.linear().bytes());
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        model.inFlightHook(() -> {
            inFlight.countDown();
            await(mayFinish);
        });
        float[] row = {-5f, 19.5f, 21.0f};
        float[] out = new float[2];
        Future<?> call = threads.submit(() -> model.predict(row, 1, out));
        assertThat(inFlight.await(30, TimeUnit.SECONDS)).isTrue();

        model.close();

        // Given a call in flight, the model is retired but its session stays open ...
        assertThat(model.isClosed()).isTrue();
        assertThat(model.isSessionClosed()).isFalse();
        assertThat(engine.openSessions()).isEqualTo(1);
        // ... a new call is refused without touching it ...
        assertThatThrownBy(() -> model.predict(row, 1, new float[2])).isInstanceOf(ModelClosedException.class);
        // ... and the call in flight completes with a correct answer, then closes the session.
        mayFinish.countDown();
        call.get(30, TimeUnit.SECONDS);
        assertThat(out[0]).isCloseTo(TestModels.expected(row)[0], within(1e-4f));
        assertThat(model.isSessionClosed()).isTrue();
        assertThat(engine.openSessions()).isZero();
    }

    @Test
    void shouldNeverRunOnAClosedSessionWhenClosedUnderConcurrentCalls() throws Exception {
        for (int round = 0; round < 25; round++) {
            OnnxModel model = engine.load("building-" + round, TestModels.linear().bytes());
            float[] features = PlausibleFeatures.rows(model.featureNames(), ROWS);
            float[] expectedFirst = TestModels.expected(features[0], features[1], features[2]);
            int callers = 4;
            CountDownLatch allRunning = new CountDownLatch(callers);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                results.add(threads.submit(() -> predictUntilClosed(model, features, expectedFirst, allRunning)));
            }
            assertThat(allRunning.await(30, TimeUnit.SECONDS)).as("every caller got going").isTrue();

            model.close();

            for (Future<Integer> result : results) {
                // each caller completed some calls and then met the clean exception; anything else fails here
                assertThat(result.get(30, TimeUnit.SECONDS)).as("round %d", round).isPositive();
            }
            assertThat(model.isSessionClosed()).as("round %d", round).isTrue();
        }
        assertThat(engine.openSessions()).isZero();
    }

    /** Predicts until the model is closed; returns the calls that completed, each checked. */
    private static int predictUntilClosed(OnnxModel model, float[] features, float[] expectedFirst, CountDownLatch running) {
        float[] out = new float[ROWS * 2];
        int completed = 0;
        while (true) {
            try {
                model.predict(features, ROWS, out);
            } catch (ModelClosedException e) {
                return completed;
            }
            if (Math.abs(out[0] - expectedFirst[0]) > 1e-3 || Math.abs(out[1] - expectedFirst[1]) > 1e-3) {
                throw new AssertionError("wrong prediction after " + completed + " calls: " + out[0] + ", " + out[1]);
            }
            if (++completed == 10) {
                running.countDown();
            }
        }
    }

    @Test
    void shouldRetireEveryModelAndRefuseLoadsWhenTheEngineCloses() throws Exception {
        OnnxModel first = engine.load("building-1", TestModels.linear().bytes());
        OnnxModel second = engine.load(ModelContract.GLOBAL_KEY, TestModels.linear().bytes());

        engine.close();

        assertThat(first.isClosed()).isTrue();
        assertThat(second.isSessionClosed()).isTrue();
        assertThat(engine.openSessions()).isZero();
        assertThatThrownBy(() -> first.predict(new float[3], 1, new float[2])).isInstanceOf(ModelClosedException.class);
        assertThatThrownBy(() -> engine.load("building-2", TestModels.linear().bytes()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("test never released the call");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
