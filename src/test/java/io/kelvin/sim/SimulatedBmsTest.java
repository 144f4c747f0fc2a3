package io.kelvin.sim;

import static io.kelvin.sim.SimFixtures.MONDAY;
import static io.kelvin.sim.SimFixtures.command;
import static io.kelvin.sim.SimFixtures.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.SetpointCommand;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated BMS: apply delay, validity, clamping, ventilation, duplicates, schedule fallback, night mode. */
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
    void shouldSetTheCommandedAirflowWithinTheProfilesVentilationLimits() {
        profile = BuildingProfile.newBuilder(profile).setDesignVentilationLps(1_400.0).setMinVentilationLps(500.0).build();
        bms = new SimulatedBms(SimFixtures.schedule(profile), APPLY_DELAY);
        bms.offer(withVentilation(command("b1", TEN, 21.0), 700.0));
        assertThat(at(TEN.plusSeconds(180))).isEqualTo(new ZoneSetpoints(20.5, 21.5, 21.0, true, 0.5)); // 700 / 1400
        bms.offer(withVentilation(command("b1", TEN.plusSeconds(600), 21.0), 1_000.0));
        assertThat(at(TEN.plusSeconds(780)).airflowShare()).isEqualTo(0.71);                             // 0.714..., in 1 % steps
        bms.offer(withVentilation(command("b1", TEN.plusSeconds(1200), 21.0), 100.0));
        assertThat(at(TEN.plusSeconds(1380)).airflowShare()).isCloseTo(0.36, within(1e-12));            // clamped up to 500 L/s
        bms.offer(withVentilation(command("b1", TEN.plusSeconds(1800), 21.0), 9_000.0));
        assertThat(at(TEN.plusSeconds(1980)).airflowShare()).isEqualTo(1.0);                             // clamped down to design
        assertThat(bms.clamped()).isEqualTo(2);
        bms.offer(command("b1", TEN.plusSeconds(2400), 21.0));
        assertThat(at(TEN.plusSeconds(2580)).airflowShare()).as("no airflow commanded: design").isEqualTo(1.0);
        assertThat(at(TEN.plusSeconds(2400 + 25 * 60)).airflowShare()).as("expired: the schedule's design airflow").isEqualTo(1.0);
        assertThat(bms.offer(withVentilation(command("b1", TEN.plusSeconds(3600), 21.0), Double.NaN)))
                .isEqualTo(SimulatedBms.Offer.INVALID);
    }

    @Test
    void shouldIgnoreACommandedAirflowWhenTheProfileGivesNoVentilationLimits() {
        bms.offer(withVentilation(command("b1", TEN, 21.0), 700.0));
        assertThat(at(TEN.plusSeconds(180)).airflowShare()).isEqualTo(1.0);
        assertThat(bms.clamped()).isZero();
    }

    private static SetpointCommand withVentilation(SetpointCommand command, double lps) {
        return SetpointCommand.newBuilder(command).setVentilationLps(lps).build();
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
