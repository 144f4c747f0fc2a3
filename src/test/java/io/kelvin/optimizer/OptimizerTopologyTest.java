package io.kelvin.optimizer;

import static io.kelvin.optimizer.OptimizerFixture.office;
import static io.kelvin.optimizer.OptimizerFixture.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.errors.DeadLetterReason;
import io.kelvin.errors.DeadLetters;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The optimizer topology, driven through stream time. 2026-11-23 is a Monday; the office is occupied 08-18 UTC. */
class OptimizerTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z"); // a window start
    private OptimizerFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private OptimizerFixture withPhysicsModel() {
        fx = new OptimizerFixture(new PhysicsPredictor());
        fx.buildings.pipeInput("b1", office("b1"));
        return fx;
    }

    @Test
    void shouldEmitOneSetpointOnlyWhenStreamTimePassesWindowEndPlusGrace() {
        withPhysicsModel();
        fx.window("b1", T0, 21.0, 5.0, 30.0);                               // stream time 09:09
        fx.minute("b1", T0.plus(Duration.ofMinutes(11)).plusSeconds(59), 21, 5, 30); // 09:11:59, inside grace
        assertThat(fx.setpoints.isEmpty()).isTrue();

        fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);       // 09:12 = end + grace: closes
        List<TestRecord<String, SetpointCommand>> out = fx.setpoints.readRecordsToList();

        assertThat(out).hasSize(1);
        SetpointCommand command = out.get(0).value();
        assertThat(out.get(0).key()).isEqualTo("b1");
        assertThat(command.getDecisionId()).isEqualTo("b1@2026-11-23T09:10:00Z");
        assertThat(command.getWindowStart()).isEqualTo(T0);
        assertThat(command.getWindowEnd()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(command.getValidUntil()).isEqualTo(T0.plus(Duration.ofMinutes(10 + 25)));
        assertThat(command.getSource()).isEqualTo(SetpointSource.MODEL);
        assertThat(command.getModelVersion()).isEqualTo(PhysicsPredictor.VERSION);
        assertThat(command.getOccupied()).isTrue();
        assertThat(fx.metrics.windowsClosed()).isEqualTo(1.0);
        assertThat(fx.metrics.setpoints(SetpointSource.MODEL)).isEqualTo(1.0);
    }

    @Test
    void shouldAggregateReadingInsideGraceAndDeadLetterReadingPastGrace() {
        withPhysicsModel();
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        fx.minute("b1", T0.plus(Duration.ofMinutes(11)), 21, 5, 30);       // stream time 09:11
        fx.pipe(reading("b1", Metric.ZONE_TEMPERATURE_C, 22.0, T0.plusSeconds(300))); // 09:05, 1 min inside grace: kept
        fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);       // 09:12: window [09:00, 09:10) closes
        SensorReading late = reading("b1", Metric.ZONE_TEMPERATURE_C, 30.0, T0.plusSeconds(599)); // 09:09:59, past grace
        fx.pipe(late);

        SetpointCommand command = fx.setpoints.readValue();
        assertThat(command.getWindowEnd()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        // 10 zone readings of 21 °C plus the one inside grace at 22 °C.
        assertThat(fx.driver.<String, Object>getKeyValueStore(OptimizerTopology.DECISIONS_STORE)).isNotNull();
        TestRecord<byte[], byte[]> deadLetter = fx.deadLetterTopic.readRecord();
        assertThat(header(deadLetter, DeadLetters.REASON_HEADER)).isEqualTo("late");
        assertThat(deadLetter.value()).isEqualTo(fx.serdes.reading().serializer().serialize(fx.topics.readings().name(), late));
        assertThat(fx.deadLetters.count(DeadLetterReason.LATE)).isEqualTo(1.0);
        // Kafka Streams counts the record as dropped; Kelvin kept it as a dead letter: nothing silent.
        assertThat(fx.droppedRecordsTotal()).isEqualTo(fx.deadLetters.count(DeadLetterReason.LATE));
    }

    @Test
    void shouldCountTheReadingInsideGraceInTheWindowsFeatures() {
        withPhysicsModel();
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        fx.minute("b1", T0.plus(Duration.ofMinutes(11)), 21, 5, 30);
        fx.pipe(reading("b1", Metric.ZONE_TEMPERATURE_C, 32.0, T0.plusSeconds(300))); // inside grace
        fx.window("b1", T0.plus(Duration.ofMinutes(12)), 21.0, 5.0, 30.0); // closes the first window, opens the second
        fx.minute("b1", T0.plus(Duration.ofMinutes(32)), 21, 5, 30);        // closes the second window

        Feedback feedback = fx.feedback.readValue();
        // The first decision's features saw the reading inside grace: (10 × 21 + 32) / 11.
        assertThat(feedback.getFeatures().get("indoor_mean_c")).isCloseTo((10 * 21.0 + 32.0) / 11, within(1e-9));
    }

    @Test
    void shouldDeadLetterEachKindOfBadReadingWithItsReasonAndKeepGoing() {
        withPhysicsModel();
        Instant at = T0.plusSeconds(30);
        fx.rawReadings.pipeInput("b1".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 99, 1, 2}, at); // unknown schema id
        fx.rawReadings.pipeInput("b1".getBytes(StandardCharsets.UTF_8), "{\"json\":true}".getBytes(StandardCharsets.UTF_8), at);
        fx.readings.pipeInput("b1", null, at);
        fx.readings.pipeInput(null, reading("b1", Metric.ZONE_TEMPERATURE_C, 21, at), at);
        fx.readings.pipeInput("b2", reading("b1", Metric.ZONE_TEMPERATURE_C, 21, at), at);
        fx.readings.pipeInput("b1", reading("", Metric.ZONE_TEMPERATURE_C, 21, at), at);
        fx.pipe(reading("b1", Metric.UNKNOWN, 1, at));
        fx.pipe(reading("b1", Metric.ZONE_TEMPERATURE_C, Double.NaN, at));
        fx.pipe(reading("b1", Metric.HVAC_POWER_KW, Double.POSITIVE_INFINITY, at));
        fx.pipe(reading("b1", Metric.ZONE_TEMPERATURE_C, 250, at));
        SensorReading future = reading("b1", Metric.ZONE_TEMPERATURE_C, 21, OptimizerFixture.WALL_CLOCK.plus(Duration.ofDays(365)));
        fx.readings.pipeInput("b1", future, at);

        fx.window("b1", T0, 21, 5, 30);                                    // good readings still flow
        fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);

        // TopologyTestDriver does not capture the dead letters of the deserialization path (a real
        // broker does: OptimizerIntegrationTest), so those two are asserted by their count.
        List<String> reasons = fx.deadLetterTopic.readRecordsToList().stream().map(r -> header(r, DeadLetters.REASON_HEADER)).toList();
        assertThat(reasons).containsExactly("null-value", "null-key",
                "key-mismatch", "missing-building-id", "unknown-metric", "non-finite-value", "non-finite-value",
                "out-of-range", "future-timestamp");
        assertThat(fx.deadLetters.count(DeadLetterReason.DESERIALIZATION_FAILED)).isEqualTo(2.0);
        assertThat(fx.deadLetters.count(DeadLetterReason.NON_FINITE_VALUE)).isEqualTo(2.0);
        double deadLettered = java.util.Arrays.stream(DeadLetterReason.values()).mapToDouble(fx.deadLetters::count).sum();
        assertThat(deadLettered).isEqualTo(11.0);
        assertThat(fx.droppedRecordsTotal()).isEqualTo(deadLettered);
        assertThat(fx.setpoints.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldCarryTheOriginalBytesAndAHumanReadableMessageInTheDeadLetter() {
        withPhysicsModel();
        SensorReading broken = reading("b1", Metric.ZONE_TEMPERATURE_C, -80, T0);
        fx.pipe(broken);

        TestRecord<byte[], byte[]> deadLetter = fx.deadLetterTopic.readRecord();
        assertThat(deadLetter.key()).isEqualTo("b1".getBytes(StandardCharsets.UTF_8));
        assertThat(deadLetter.value()).isEqualTo(fx.serdes.reading().serializer().serialize("kelvin.readings", broken));
        assertThat(header(deadLetter, DeadLetters.REASON_HEADER)).isEqualTo("out-of-range");
        assertThat(header(deadLetter, DeadLetters.MESSAGE_HEADER)).contains("ZONE_TEMPERATURE_C value -80.0 is outside the plausible range");
        assertThat(header(deadLetter, "__streams.errors.topic")).isEqualTo("kelvin.readings");
        assertThat(header(deadLetter, "__streams.errors.offset")).isEqualTo("0");
    }

    @Test
    void shouldNotEmitStreamTimeFromAFutureDatedReading() {
        withPhysicsModel();
        fx.window("b1", T0, 21, 5, 30);
        SensorReading future = reading("b1", Metric.ZONE_TEMPERATURE_C, 21, OptimizerFixture.WALL_CLOCK.plus(Duration.ofDays(30)));
        fx.pipe(future);                                                    // must not close every window
        fx.pipe(reading("b1", Metric.ZONE_TEMPERATURE_C, 21, T0.plusSeconds(610))); // 09:10:10, a normal reading

        assertThat(fx.setpoints.isEmpty()).isTrue();
        assertThat(fx.deadLetters.count(DeadLetterReason.FUTURE_TIMESTAMP)).isEqualTo(1.0);
        assertThat(fx.deadLetters.count(DeadLetterReason.LATE)).isZero();
    }

    @Test
    void shouldJoinEachDecisionWithTheNextWindowsObservedOutcome() {
        withPhysicsModel();
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        fx.window("b1", T0.plus(Duration.ofMinutes(10)), 20.5, 4.0, 24.0); // observed outcome of decision 1
        fx.minute("b1", T0.plus(Duration.ofMinutes(22)), 20.5, 4, 24);      // closes window 2

        SetpointCommand first = fx.setpoints.readValuesToList().get(0);
        List<Feedback> feedback = fx.feedback.readValuesToList();
        assertThat(feedback).hasSize(1);
        Feedback f = feedback.get(0);
        assertThat(f.getDecisionId()).isEqualTo(first.getDecisionId());
        assertThat(f.getSetpointC()).isEqualTo(first.getSetpointC());
        assertThat(f.getObservedWindowStart()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(f.getObservedEnergyKwh()).isCloseTo(24.0 / 6, within(1e-9));  // 24 kW for 10 min
        assertThat(f.getObservedIndoorC()).isCloseTo(20.5, within(1e-9));
        assertThat(f.getObservedOutdoorC()).isCloseTo(4.0, within(1e-9));
        assertThat(f.getPredictedEnergyKwh()).isEqualTo(first.getPredictedEnergyKwh());
        assertThat(f.getFeatures()).containsKeys(FeatureBuilder.KNOWN_FEATURES.toArray(String[]::new));
        assertThat(f.getFeatures().get("candidate_setpoint_c")).isEqualTo(first.getSetpointC());
        assertThat(fx.metrics.feedbackCount()).isEqualTo(1.0);
    }

    @Test
    void shouldCountADecisionWhoseNextWindowNeverCameInsteadOfJoiningAWrongOne() {
        withPhysicsModel();
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        // Readings stop for 20 minutes: the window after the decision has no data.
        fx.window("b1", T0.plus(Duration.ofMinutes(30)), 21.0, 5.0, 30.0);
        fx.minute("b1", T0.plus(Duration.ofMinutes(42)), 21, 5, 30);

        assertThat(fx.setpoints.readValuesToList()).hasSize(2);
        assertThat(fx.feedback.isEmpty()).isTrue();
        assertThat(fx.metrics.skippedCount("decision-without-outcome")).isEqualTo(1.0);
    }

    @Test
    void shouldNeverMoveTheSetpointFasterThanAllowedWhileTheModelPullsHard() {
        withPhysicsModel();
        // Night, unoccupied, cold outside: the model wants the lowest setpoint, 16 °C, from 21 °C.
        Instant night = Instant.parse("2026-11-23T00:00:00Z");
        for (int w = 0; w < 8; w++) {
            fx.window("b1", night.plus(Duration.ofMinutes(10L * w)), 21.0, -5.0, 40.0);
        }
        fx.minute("b1", night.plus(Duration.ofMinutes(82)), 21, -5, 40);

        List<SetpointCommand> commands = fx.setpoints.readValuesToList();
        assertThat(commands).hasSize(8);
        double previous = commands.get(0).getPreviousSetpointC();
        for (SetpointCommand c : commands) {
            assertThat(Math.abs(c.getSetpointC() - previous)).isLessThanOrEqualTo(0.5 + 1e-9);
            assertThat(c.getSetpointC()).isBetween(16.0, 26.0);
            assertThat(c.getPreviousSetpointC()).isEqualTo(previous);
            previous = c.getSetpointC();
        }
        assertThat(commands.get(7).getSetpointC()).isLessThan(commands.get(0).getSetpointC());
    }

    @Test
    void shouldCommandTheAirflowTheWindowsCo2CallsForWhileTheBuildingIsOccupied() {
        fx = new OptimizerFixture((PredictionModel) null); // ventilation does not depend on the model
        fx.buildings.pipeInput("b1", BuildingProfile.newBuilder(office("b1"))
                .setMinVentilationLps(800.0).setDesignVentilationLps(2_800.0).setCo2LimitPpm(1_000).build());
        fx.buildings.pipeInput("b2", office("b2"));                        // no ventilation limits
        Instant early = T0.minus(Duration.ofMinutes(80));                  // 07:40: the next window, 07:50-08:00, is unoccupied
        for (Instant start : List.of(early, T0)) {
            for (String building : List.of("b1", "b2")) {
                fx.window(building, start, 21.0, 5.0, 30.0);
                for (int m = 0; m < 10; m++) {
                    fx.pipe(reading(building, Metric.CO2_PPM, m < 5 ? 650 : 750, start.plusSeconds(60L * m))); // mean 700 ppm
                }
            }
            fx.minute("b1", start.plus(Duration.ofMinutes(12)), 21, 5, 30);
            fx.minute("b2", start.plus(Duration.ofMinutes(12)), 21, 5, 30);
        }
        Map<String, Map<Instant, Optional<Double>>> airflow = fx.setpoints.readValuesToList().stream()
                .collect(Collectors.groupingBy(SetpointCommand::getBuildingId,
                        Collectors.toMap(SetpointCommand::getWindowEnd, c -> Optional.ofNullable(c.getVentilationLps()))));

        // 700 ppm is halfway up the reset from 500 ppm (limit − margin − band) to 900 ppm (limit − margin).
        assertThat(airflow.get("b1")).containsOnly(
                entry(Instant.parse("2026-11-23T07:50:00Z"), Optional.empty()),        // unoccupied next
                entry(Instant.parse("2026-11-23T08:00:00Z"), Optional.empty()),        // the 07:52 minute only: no CO₂
                entry(Instant.parse("2026-11-23T09:10:00Z"), Optional.of(1_800.0)));
        assertThat(airflow.get("b2")).hasSize(3).allSatisfy((end, lps) -> assertThat(lps).as("no limits in b2's profile").isEmpty());
        assertThat(fx.meters.get("kelvin.ventilation.commands").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldStartFromTheSetpointTheBmsReportsWhenKelvinHasNoCommandInForce() {
        withPhysicsModel();
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        fx.pipe(reading("b1", Metric.SETPOINT_C, 23.5, T0.plusSeconds(540)));
        fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);

        SetpointCommand command = fx.setpoints.readValue();
        assertThat(command.getPreviousSetpointC()).isEqualTo(23.5);
        assertThat(command.getSetpointC()).isBetween(23.0, 24.0);
    }

    @Test
    void shouldFallBackToTheScheduleWhenTheWindowHasTooFewZoneReadings() {
        withPhysicsModel();
        fx.pipe(reading("b1", Metric.ZONE_TEMPERATURE_C, 21, T0));
        fx.pipe(reading("b1", Metric.OUTDOOR_TEMPERATURE_C, 5, T0));
        fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);

        SetpointCommand command = fx.setpoints.readValue();
        assertThat(command.getSource()).isEqualTo(SetpointSource.FALLBACK);
        assertThat(command.getReason()).isEqualTo("too-few-readings");
        assertThat(command.getModelVersion()).isNull();
        assertThat(command.getSetpointC()).isEqualTo(21.0); // the occupied schedule
        assertThat(fx.metrics.setpoints(SetpointSource.FALLBACK)).isEqualTo(1.0);
    }

    @Test
    void shouldFallBackWhenNoModelIsAvailableAndSayWhy() {
        fx = new OptimizerFixture((PredictionModel) null);
        fx.buildings.pipeInput("b1", office("b1"));
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);

        SetpointCommand command = fx.setpoints.readValue();
        assertThat(command.getSource()).isEqualTo(SetpointSource.FALLBACK);
        assertThat(command.getReason()).isEqualTo("no-model");
    }

    @Test
    void shouldFallBackWhenTheModelPredictsNonFiniteValues() {
        PredictionModel broken = new PredictionModel() {
            public String version() { return "broken-1"; }
            public List<String> featureNames() { return List.of("indoor_mean_c"); }
            public void predict(float[] features, int rows, float[] out) { java.util.Arrays.fill(out, Float.NaN); }
        };
        fx = new OptimizerFixture(broken);
        fx.buildings.pipeInput("b1", office("b1"));
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);

        SetpointCommand command = fx.setpoints.readValue();
        assertThat(command.getSource()).isEqualTo(SetpointSource.FALLBACK);
        assertThat(command.getReason()).isEqualTo("invalid-prediction");
    }

    @Test
    void shouldEmitNothingForABuildingWithoutProfileAndCountIt() {
        fx = new OptimizerFixture(new PhysicsPredictor());
        fx.window("b9", T0, 21.0, 5.0, 30.0);
        fx.minute("b9", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);

        assertThat(fx.setpoints.isEmpty()).isTrue();
        assertThat(fx.metrics.skippedCount("no-profile")).isEqualTo(1.0);
        assertThat(fx.metrics.windowsClosed()).isEqualTo(1.0);
    }

    @Test
    void shouldDecideForEachBuildingIndependently() {
        withPhysicsModel();
        fx.buildings.pipeInput("b2", office("b2"));
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        fx.window("b2", T0, 22.0, 5.0, 10.0);
        fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);
        fx.minute("b2", T0.plus(Duration.ofMinutes(12)), 22, 5, 10);

        assertThat(fx.setpoints.readKeyValuesToMap()).containsOnlyKeys("b1", "b2");
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
