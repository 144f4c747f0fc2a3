package io.kelvin.sim;

import static io.kelvin.sim.SimFixtures.MONDAY;
import static io.kelvin.sim.SimFixtures.command;
import static io.kelvin.sim.SimFixtures.utc;
import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.schema.BuildingProfile;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated BMS: apply delay, validity, clamping, duplicates, schedule fallback, night mode. */
class SimulatedBmsTest {
    private static final Instant TEN = MONDAY.plus(Duration.ofHours(10));
    private static final Duration APPLY_DELAY = Duration.ofMinutes(3); // grace 2 min + latency 1 min

    private BuildingProfile profile;
    private SimulatedBms bms;

    @BeforeEach
    void setUp() {
        profile = SimFixtures.profile("b1");
        bms = new SimulatedBms(SimFixtures.schedule(profile), APPLY_DELAY);
    }

    private ZoneSetpoints at(Instant t) {
        return bms.setpointsAt(t, utc(t));
    }

    @Test
    void shouldApplyACommandFromItsWindowEndPlusTheDelayUntilItExpires() {
        assertThat(bms.offer(command("b1", TEN, 20.0))).isEqualTo(SimulatedBms.Offer.ACCEPTED); // window ending 10:00, valid until 10:25

        assertThat(at(TEN.plusSeconds(120))).isEqualTo(ZoneSetpoints.around(21.5, 0.5, false)); // 10:02: not yet at the equipment
        assertThat(at(TEN.plusSeconds(180))).isEqualTo(ZoneSetpoints.around(20.0, 0.5, true));  // 10:03: applied
        assertThat(at(TEN.plusSeconds(24 * 60))).isEqualTo(ZoneSetpoints.around(20.0, 0.5, true)); // 10:24: still valid
        assertThat(at(TEN.plusSeconds(25 * 60))).isEqualTo(ZoneSetpoints.around(21.5, 0.5, false)); // 10:25: expired, schedule
        assertThat(bms.expiredSteps()).isEqualTo(1);
    }

    @Test
    void shouldTakeTheNewestDueCommand() {
        bms.offer(command("b1", TEN, 20.0));
        bms.offer(command("b1", TEN.plusSeconds(600), 20.5));

        assertThat(at(TEN.plusSeconds(12 * 60)).reportedC()).isEqualTo(20.0);  // 10:12: the 10:10 command is not due before 10:13
        assertThat(at(TEN.plusSeconds(13 * 60)).reportedC()).isEqualTo(20.5);  // 10:13
    }

    @Test
    void shouldClampToTheProfileLimits() {
        bms.offer(command("b1", TEN, 30.0));
        assertThat(at(TEN.plusSeconds(180)).reportedC()).isEqualTo(26.0);
        bms.offer(command("b1", TEN.plusSeconds(600), 5.0));
        assertThat(at(TEN.plusSeconds(780)).reportedC()).isEqualTo(15.0);
        assertThat(bms.clamped()).isEqualTo(2);
    }

    @Test
    void shouldDropDuplicatesStaleAndInvalidCommands() {
        assertThat(bms.offer(command("b1", TEN, 20.0))).isEqualTo(SimulatedBms.Offer.ACCEPTED);
        assertThat(bms.offer(command("b1", TEN, 23.0))).isEqualTo(SimulatedBms.Offer.DUPLICATE);
        assertThat(bms.offer(command("b1", TEN.minusSeconds(600), 23.0))).isEqualTo(SimulatedBms.Offer.STALE);
        assertThat(bms.offer(command("b1", TEN.plusSeconds(600), Double.NaN))).isEqualTo(SimulatedBms.Offer.INVALID);
        assertThat(bms.offer(command("b2", TEN.plusSeconds(1200), 20.0))).isEqualTo(SimulatedBms.Offer.OTHER_BUILDING);

        assertThat(at(TEN.plusSeconds(15 * 60)).reportedC()).isEqualTo(20.0); // the NaN was never applied
        assertThat(bms.accepted()).isEqualTo(1);
        assertThat(bms.duplicates()).isEqualTo(1);
        assertThat(bms.stale()).isEqualTo(1);
        assertThat(bms.invalid()).isEqualTo(1);
    }

    @Test
    void shouldRunTheDefaultScheduleWithWarmUpAndSetBack() {
        ZoneSetpoints setback = new ZoneSetpoints(17, 28, 17, false);
        ZoneSetpoints occupied = ZoneSetpoints.around(21.5, 0.5, false);
        assertThat(at(MONDAY.plus(Duration.ofMinutes(6 * 60 + 59)))).isEqualTo(setback);   // Mon 06:59
        assertThat(at(MONDAY.plus(Duration.ofHours(7)))).isEqualTo(occupied);               // Mon 07:00, an hour before 08:00
        assertThat(at(MONDAY.plus(Duration.ofMinutes(17 * 60 + 59)))).isEqualTo(occupied);  // Mon 17:59
        assertThat(at(MONDAY.plus(Duration.ofHours(18)))).isEqualTo(setback);               // Mon 18:00
        assertThat(at(MONDAY.plus(Duration.ofDays(5)).plus(Duration.ofHours(10)))).isEqualTo(setback); // Sat 10:00
        assertThat(at(MONDAY.plus(Duration.ofDays(6)).plus(Duration.ofHours(7)))).isEqualTo(setback);  // Sun 07:00: Monday is a day away
    }

    @Test
    void shouldKeepTheChillersOffAtNightWhateverTheSetpoint() {
        Instant night = MONDAY.plus(Duration.ofHours(22));
        bms.offer(command("b1", night, 16.0));

        ZoneSetpoints applied = at(night.plusSeconds(180));              // 22:03
        assertThat(applied.heatingC()).isEqualTo(15.5);                   // heating follows the command
        assertThat(applied.coolingC()).isEqualTo(28.0);                   // cooling keeps the night set-up
        assertThat(applied.commanded()).isTrue();

        bms.offer(command("b1", TEN.plus(Duration.ofDays(1)), 22.0));     // Tue 10:00, occupied
        assertThat(at(TEN.plus(Duration.ofDays(1)).plusSeconds(180))).isEqualTo(ZoneSetpoints.around(22.0, 0.5, true));
    }
}
