package io.kelvin.sim;

import static io.kelvin.sim.SimFixtures.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lockstep with 10-minute windows and commands that reach the equipment 3 minutes after their
 * window ends (grace 2 + latency 1). Times in the comments are simulated, from Monday 00:00.
 */
class LockstepGateTest {
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Duration DELAY = Duration.ofMinutes(3);

    private static Instant at(int minutes) {
        return MONDAY.plus(Duration.ofMinutes(minutes));
    }

    private static LockstepGate gate(TestClock clock) {
        return new LockstepGate(List.of("b1", "b2"), MONDAY, WINDOW, DELAY, clock);
    }

    @Test
    void shouldRequireEachWindowsCommandsWhenTheyAreDueAtTheEquipment() {
        LockstepGate gate = gate(new TestClock(Instant.EPOCH));
        assertThat(gate.requiredWindowEnd(at(12))).isNull();          // 00:12: the first window (ends 00:10) is not due yet
        assertThat(gate.requiredWindowEnd(at(13))).isEqualTo(at(10)); // 00:13: its commands act from now
        assertThat(gate.requiredWindowEnd(at(22))).isEqualTo(at(10)); // 00:22
        assertThat(gate.requiredWindowEnd(at(23))).isEqualTo(at(20)); // 00:23
    }

    @Test
    void shouldLetAStepRunOnceEveryBuildingsCommandHasArrived() throws InterruptedException {
        TestClock clock = new TestClock(Instant.EPOCH);
        LockstepGate gate = gate(clock);
        assertThat(gate.satisfied(at(12))).isTrue();
        assertThat(gate.satisfied(at(13))).isFalse();
        assertThat(gate.missing(at(13), 10)).containsExactly("b1", "b2");

        gate.commandReceived("b1", at(10));
        assertThat(gate.missing(at(13), 10)).containsExactly("b2");
        gate.commandReceived("b2", at(10));
        gate.commandReceived("b3", at(10));                           // not ours: ignored

        assertThat(gate.await(at(13), Duration.ofSeconds(5))).isEqualTo(LockstepGate.Outcome.READY);
        assertThat(gate.ready()).isEqualTo(1);
        assertThat(gate.satisfied(at(23))).isFalse();                 // 00:23 needs the 00:20 window
    }

    @Test
    void shouldGiveUpAWindowAfterTheTimeoutAndSayWhatWasMissing() throws InterruptedException {
        // The wall clock jumps an hour on every read after the first: the timeout passes without any real wait.
        TestClock clock = new TestClock(Instant.EPOCH, Duration.ofHours(1));
        LockstepGate gate = gate(clock);
        gate.commandReceived("b1", at(10));

        assertThat(gate.await(at(13), Duration.ofSeconds(30))).isEqualTo(LockstepGate.Outcome.TIMED_OUT);
        assertThat(gate.timeouts()).isEqualTo(1);
        assertThat(gate.timeoutNotes()).singleElement().asString().contains("window ending " + at(10)).contains("[b2]");
        assertThat(gate.satisfied(at(14))).as("the given-up window is not waited for again").isTrue();
        assertThat(gate.satisfied(at(23))).as("the next window is").isFalse();
    }

    @Test
    void shouldStopWaitingWhenCancelledWithoutCountingATimeout() throws InterruptedException {
        LockstepGate gate = gate(new TestClock(Instant.EPOCH));
        assertThat(gate.await(at(13), Duration.ofSeconds(30), () -> true, () -> { })).isEqualTo(LockstepGate.Outcome.CANCELLED);
        assertThat(gate.timeouts()).isZero();
    }

    @Test
    void shouldWakeAWaitingSimulationWhenTheLastCommandArrives() throws Exception {
        LockstepGate gate = new LockstepGate(List.of("b1"), MONDAY, WINDOW, DELAY, java.time.Clock.systemUTC());
        Thread bms = new Thread(() -> gate.commandReceived("b1", at(10)));
        bms.start();
        LockstepGate.Outcome outcome = gate.await(at(13), Duration.ofMinutes(1));
        bms.join();
        assertThat(outcome).isIn(LockstepGate.Outcome.READY, LockstepGate.Outcome.WAITED);
        assertThat(gate.timeouts()).isZero();
    }
}
