package io.kelvin.optimizer;

import static io.kelvin.optimizer.OptimizerFixture.office;
import static io.kelvin.optimizer.OptimizerFixture.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kelvin.inference.ModelContract;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SetpointCommand;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The optimizer's operational meters moving when their event happens: readings processed,
 * prediction error from feedback, the model version serving each key, and the wall-clock
 * watchdog of buildings whose readings stopped. Stream time comes from the piped readings;
 * wall-clock time from the fixture's manual clock (never a sleep).
 */
class OptimizerOperationsMetricsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z"); // a window start
    private OptimizerFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private void start(PredictionModel bundled, String... buildings) {
        fx = new OptimizerFixture(bundled);
        for (String b : buildings) {
            fx.buildings.pipeInput(b, office(b));
        }
    }

    @Test
    void shouldCountValidReadingsByMetricAndNotTheDeadLettered() {
        start(new PhysicsPredictor(), "b1");
        fx.window("b1", T0, 21.0, 5.0, 30.0);                                         // 10 of each metric
        fx.pipe(reading("b1", Metric.ZONE_TEMPERATURE_C, Double.NaN, T0.plusSeconds(30))); // dead-lettered

        assertThat(fx.metrics.readingsProcessed(Metric.ZONE_TEMPERATURE_C)).isEqualTo(10.0);
        assertThat(fx.metrics.readingsProcessed(Metric.OUTDOOR_TEMPERATURE_C)).isEqualTo(10.0);
        assertThat(fx.metrics.readingsProcessed(Metric.HVAC_POWER_KW)).isEqualTo(10.0);
        assertThat(fx.metrics.readingsProcessed(Metric.CO2_PPM)).isZero();
        assertThat(fx.meters.get("kelvin.readings.processed").tag("metric", "zone_temperature_c").counter().count()).isEqualTo(10.0);
    }

    @Test
    void shouldRecordTheAbsoluteErrorOfEachModelPredictionWhenItsFeedbackIsJoined() {
        start(new PhysicsPredictor(), "b1");
        fx.window("b1", T0, 21.0, 5.0, 30.0);                               // decision 1
        fx.window("b1", T0.plus(Duration.ofMinutes(10)), 20.5, 4.0, 24.0);  // its outcome; decision 2
        assertThat(fx.metrics.predictionErrorCount()).isZero();             // window 2 still open
        fx.minute("b1", T0.plus(Duration.ofMinutes(22)), 20.5, 4, 24);      // 09:22 closes window 2

        SetpointCommand first = fx.setpoints.readValuesToList().get(0);
        Feedback feedback = fx.feedback.readValue();
        double energyError = Math.abs(first.getPredictedEnergyKwh() - feedback.getObservedEnergyKwh());
        double indoorError = Math.abs(first.getPredictedIndoorC() - feedback.getObservedIndoorC());
        assertThat(energyError).isGreaterThan(0.01); // the physics model is not perfect, so the error is not trivially zero
        assertThat(fx.metrics.predictionErrorCount()).isEqualTo(1);
        assertThat(fx.metrics.energyMae()).isCloseTo(energyError, within(1e-9));
        assertThat(fx.metrics.indoorMae()).isCloseTo(indoorError, within(1e-9));
        assertThat(fx.meters.get("kelvin.prediction.error.energy").summary().totalAmount()).isCloseTo(energyError, within(1e-9));
        assertThat(fx.meters.get("kelvin.prediction.error.indoor").summary().count()).isEqualTo(1);
    }

    @Test
    void shouldRecordNoPredictionErrorForFallbackDecisions() {
        start(null, "b1");                                                  // no model: every decision falls back
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        fx.window("b1", T0.plus(Duration.ofMinutes(10)), 20.5, 4.0, 24.0);
        fx.minute("b1", T0.plus(Duration.ofMinutes(22)), 20.5, 4, 24);

        assertThat(fx.feedback.readValuesToList()).hasSize(1);
        assertThat(fx.metrics.predictionErrorCount()).isZero();
        assertThat(fx.metrics.energyMae()).isNaN();
    }

    @Test
    void shouldExposeTheVersionServingEachModelKeyAndDropAWithdrawnOne() {
        start(new PhysicsPredictor());
        assertThat(versionRows()).containsExactly(Map.entry(ModelContract.BUNDLED_KEY, PhysicsPredictor.VERSION));

        fx.models.install(ModelContract.GLOBAL_KEY, renamed(new PhysicsPredictor(), "global-7"));
        fx.models.install("b1", renamed(new PhysicsPredictor(), "b1-3"));
        assertThat(versionRows()).containsOnly(Map.entry(ModelContract.BUNDLED_KEY, PhysicsPredictor.VERSION),
                Map.entry(ModelContract.GLOBAL_KEY, "global-7"), Map.entry("b1", "b1-3"));
        assertThat(fx.meters.get(ModelCatalog.VERSION_INFO).tag("key", "b1").gauge().value()).isEqualTo(1.0);
        assertThat(fx.meters.get(ModelCatalog.VERSION_INFO).tag("key", "b1").gauge().getId().getTag("kind")).isEqualTo("building");

        fx.models.install("b1", renamed(new PhysicsPredictor(), "b1-4"));   // a newer release replaces the row
        fx.models.apply(ModelContract.GLOBAL_KEY, null);                     // a tombstone withdraws
        assertThat(versionRows()).containsOnly(Map.entry(ModelContract.BUNDLED_KEY, PhysicsPredictor.VERSION),
                Map.entry("b1", "b1-4"));
        assertThat(fx.models.releases("withdrawn", "")).isEqualTo(1.0);
    }

    @Test
    void shouldReportABuildingWhoseReadingsStoppedStaleAfterThirtyMinutesOfWallClock() {
        start(new PhysicsPredictor(), "b1", "b2");
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        fx.window("b2", T0, 21.0, 5.0, 30.0);
        fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);        // 09:12 closes window 0 of both
        assertThat(fx.setpoints.readKeyValuesToList()).hasSize(2);          // both commanded at 12:00 wall clock

        fx.clock.advance(Duration.ofMinutes(20));                           // 12:20; b2's readings have stopped
        fx.window("b1", T0.plus(Duration.ofMinutes(10)), 21.0, 5.0, 30.0);
        fx.minute("b1", T0.plus(Duration.ofMinutes(22)), 21, 5, 30);        // closes b1's window 1 only
        assertThat(fx.setpoints.readKeyValuesToList().stream().map(kv -> kv.key).toList()).containsExactly("b1");

        fx.clock.advance(Duration.ofMinutes(10));                           // 12:30: b2 commanded exactly 30 min ago
        assertThat(fx.watchdog.staleBuildings()).isEmpty();
        fx.clock.advance(Duration.ofSeconds(1));                            // 12:30:01
        assertThat(fx.watchdog.staleBuildings()).containsExactly("b2");
        assertThat(gauge("kelvin.buildings.stale")).isEqualTo(1.0);
        assertThat(gauge("kelvin.buildings.watched")).isEqualTo(2.0);
        assertThat(fx.watchdog.check()).containsExactly("b2");
        assertThat(fx.watchdog.check()).as("reported once, not on every check").isEmpty();

        fx.window("b2", T0.plus(Duration.ofMinutes(30)), 21.0, 5.0, 30.0); // b2's readings resume
        fx.minute("b1", T0.plus(Duration.ofMinutes(42)), 21, 5, 30);        // closes b2's window 3
        assertThat(fx.setpoints.readKeyValuesToList().stream().map(kv -> kv.key).toList()).contains("b2");
        assertThat(fx.watchdog.staleBuildings()).isEmpty();
        assertThat(gauge("kelvin.buildings.stale")).isZero();
        assertThat(fx.watchdog.check()).isEmpty();                         // logs the recovery

        fx.clock.advance(Duration.ofMinutes(31));                           // 13:02: both silent since 12:31
        assertThat(fx.watchdog.check()).as("a recovered building is reported again").containsExactly("b1", "b2");
    }

    @Test
    void shouldWatchABuildingWithoutAnyCommandFromItsFirstWindow() {
        start(new PhysicsPredictor());                                      // no profile: b9 never gets a command
        fx.window("b9", T0, 21.0, 5.0, 30.0);
        fx.minute("b9", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);
        assertThat(fx.setpoints.isEmpty()).isTrue();

        fx.clock.advance(Duration.ofMinutes(31));
        assertThat(fx.watchdog.staleBuildings()).containsExactly("b9");
    }

    @Test
    void shouldForgetTheBuildingsOfATaskThatClosed() {
        start(new PhysicsPredictor(), "b1");
        fx.window("b1", T0, 21.0, 5.0, 30.0);
        fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);
        assertThat(gauge("kelvin.buildings.watched")).isEqualTo(1.0);

        OptimizerFixture closed = fx;
        fx = null;
        closed.close();                                                     // the task closes (rebalance, shutdown)
        closed.clock.advance(Duration.ofHours(2));
        assertThat(closed.watchdog.staleBuildings()).isEmpty();
        assertThat(closed.meters.get("kelvin.buildings.watched").gauge().value()).isZero();
    }

    private double gauge(String name) {
        Gauge gauge = fx.meters.get(name).gauge();
        return gauge.value();
    }

    private Map<String, String> versionRows() {
        return Search.in(fx.meters).name(ModelCatalog.VERSION_INFO).gauges().stream()
                .filter(g -> g.value() == 1.0)
                .collect(Collectors.toMap(g -> g.getId().getTag("key"), g -> g.getId().getTag("version")));
    }

    /** {@code model} under another version (the catalog only reads the version and features here). */
    private static PredictionModel renamed(PredictionModel model, String version) {
        return new PredictionModel() {
            @Override
            public String version() {
                return version;
            }

            @Override
            public List<String> featureNames() {
                return model.featureNames();
            }

            @Override
            public void predict(float[] features, int rows, float[] out) {
                model.predict(features, rows, out);
            }
        };
    }
}
