package io.kelvin.optimizer;

import io.kelvin.TestClock;
import io.kelvin.config.KelvinConfig;
import io.kelvin.errors.DeadLetters;
import io.kelvin.inference.InferenceEngine;
import io.kelvin.inference.ModelContract;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.Metric;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.OccupancyPeriod;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A TopologyTestDriver around the optimizer topology with a per-fixture {@code mock://} registry,
 * a fixed wall clock and typed topics. Close it in teardown.
 */
final class OptimizerFixture implements AutoCloseable {
    static final Instant WALL_CLOCK = Instant.parse("2026-11-23T12:00:00Z");

    final String scope = "optimizer-test-" + UUID.randomUUID();
    final KelvinConfig config;
    final KelvinSerdes serdes;
    final TopicCatalogue topics;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final OptimizerMetrics metrics = new OptimizerMetrics(meters);
    /** The wall clock: fixed at {@link #WALL_CLOCK} unless a test advances it. */
    final TestClock clock = new TestClock(WALL_CLOCK);
    final BuildingWatchdog watchdog;
    final DeadLetters deadLetters;
    final TopologyTestDriver driver;
    final TestInputTopic<String, SensorReading> readings;
    final TestInputTopic<byte[], byte[]> rawReadings;
    final TestInputTopic<String, BuildingProfile> buildings;
    final TestInputTopic<String, ModelRelease> releases;
    final TestOutputTopic<String, SetpointCommand> setpoints;
    final TestOutputTopic<String, Feedback> feedback;
    final TestOutputTopic<byte[], byte[]> deadLetterTopic;

    final InferenceEngine engine;
    final ModelCatalog models;
    private final java.nio.file.Path stateDir;

    /** A fixture whose only model is {@code bundled} (none when null: every decision falls back). */
    OptimizerFixture(PredictionModel bundled) {
        this(bundled, Map.of());
    }

    OptimizerFixture(PredictionModel bundled, Map<String, String> settings) {
        Map<String, Object> merged = new HashMap<>();
        merged.put("application.id", "kelvin-optimizer-test");
        merged.put("bootstrap.servers", "unused:1");
        merged.put("processing.guarantee", "exactly_once_v2");
        merged.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope);
        // Decide each window as it closes unless a test is about batching.
        merged.put(KelvinConfig.INFERENCE_BATCH_SIZE_CONFIG, "1");
        // A state directory of its own: the default /tmp/kafka-streams is shared by every test JVM
        // on the machine, and RocksDB's lock makes concurrent runs of other checkouts fail.
        stateDir = createStateDir();
        merged.put("state.dir", stateDir.toString());
        merged.putAll(settings);
        config = KelvinConfig.of(merged);
        serdes = new KelvinSerdes(MockSchemaRegistry.forScope(scope));
        topics = new TopicCatalogue(config, serdes);
        deadLetters = new DeadLetters(topics.deadLetters().name(), meters);
        engine = InferenceEngine.create(config, meters);
        models = new ModelCatalog(engine::load, ModelSource.fromConfig(config), meters);
        if (bundled != null) {
            models.install(ModelContract.BUNDLED_KEY, bundled);
        }
        Properties props = OptimizerTopology.streamsProperties(config, deadLetters);
        watchdog = BuildingWatchdog.fromConfig(config, clock).bindTo(meters);
        driver = new TopologyTestDriver(OptimizerTopology.build(config, topics, models, clock, metrics, watchdog), props);
        readings = driver.createInputTopic(topics.readings().name(), Serdes.String().serializer(), serdes.reading().serializer());
        rawReadings = driver.createInputTopic(topics.readings().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        buildings = driver.createInputTopic(topics.buildings().name(), Serdes.String().serializer(), serdes.profile().serializer());
        releases = driver.createInputTopic(topics.models().name(), Serdes.String().serializer(), serdes.modelRelease().serializer());
        setpoints = driver.createOutputTopic(topics.setpoints().name(), Serdes.String().deserializer(), serdes.setpoint().deserializer());
        feedback = driver.createOutputTopic(topics.feedback().name(), Serdes.String().deserializer(), serdes.feedback().deserializer());
        deadLetterTopic = driver.createOutputTopic(topics.deadLetters().name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    /** An office: occupied weekdays 08:00-18:00 UTC, comfort 20-24 °C, limits 16-26 °C. */
    static BuildingProfile office(String buildingId) {
        return BuildingProfile.newBuilder()
                .setBuildingId(buildingId)
                .setName("Office " + buildingId)
                .setTimeZone("UTC")
                .setFloorAreaM2(2_000)
                .setMinSetpointC(16)
                .setMaxSetpointC(26)
                .setMaxChangePerStepK(0.5)
                .setComfortMinC(20)
                .setComfortMaxC(24)
                .setOccupiedSetpointC(21)
                .setUnoccupiedSetpointC(17)
                .setOccupancy(List.of(new OccupancyPeriod(List.of(1, 2, 3, 4, 5), 8 * 60, 18 * 60)))
                .build();
    }

    static SensorReading reading(String buildingId, Metric metric, double value, Instant at) {
        return SensorReading.newBuilder()
                .setBuildingId(buildingId)
                .setDeviceId(buildingId + "-gw")
                .setMetric(metric)
                .setValue(value)
                .setObservedAt(at)
                .build();
    }

    /** Pipes a reading keyed by its building, timestamped when observed. */
    void pipe(SensorReading r) {
        readings.pipeInput(r.getBuildingId(), r, r.getObservedAt());
    }

    /** One minute of a building's points: zone and outdoor temperature, HVAC power. */
    void minute(String buildingId, Instant at, double zoneC, double outdoorC, double powerKw) {
        pipe(reading(buildingId, Metric.ZONE_TEMPERATURE_C, zoneC, at));
        pipe(reading(buildingId, Metric.OUTDOOR_TEMPERATURE_C, outdoorC, at));
        pipe(reading(buildingId, Metric.HVAC_POWER_KW, powerKw, at));
    }

    /** Ten minutes of readings starting at {@code start}, one per minute. */
    void window(String buildingId, Instant start, double zoneC, double outdoorC, double powerKw) {
        for (int m = 0; m < 10; m++) {
            minute(buildingId, start.plusSeconds(60L * m), zoneC, outdoorC, powerKw);
        }
    }

    double droppedRecordsTotal() {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("dropped-records-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    private static java.nio.file.Path createStateDir() {
        try {
            return java.nio.file.Files.createTempDirectory("kelvin-optimizer-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.close();
        models.close();
        engine.close();
        MockSchemaRegistry.dropScope(scope);
        try {
            org.apache.kafka.common.utils.Utils.delete(stateDir.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
