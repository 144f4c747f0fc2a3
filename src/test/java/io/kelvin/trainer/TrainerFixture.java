package io.kelvin.trainer;

import io.kelvin.TestDirectories;
import io.kelvin.config.KelvinConfig;
import io.kelvin.errors.DeadLetters;
import io.kelvin.inference.InferenceEngine;
import io.kelvin.model.SimulatedFleetData;
import io.kelvin.model.TrainingRow;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.SetpointSource;
import io.kelvin.schema.TrainingReport;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A TopologyTestDriver around the trainer topology with a per-fixture {@code mock://} registry,
 * a fixed wall clock (it only times reports) and typed topics. Close it in teardown.
 */
public final class TrainerFixture implements AutoCloseable {
    static final Instant WALL_CLOCK = Instant.parse("2026-11-23T12:00:00Z");
    static final long WINDOW_MS = 600_000L;

    final String scope = "trainer-test-" + UUID.randomUUID();
    final KelvinConfig config;
    final KelvinSerdes serdes;
    final TopicCatalogue topics;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TrainerMetrics metrics = new TrainerMetrics(meters);
    final InferenceEngine engine;
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, Feedback> feedback;
    public final TestInputTopic<String, BuildingProfile> buildings;
    public final TestOutputTopic<String, ModelRelease> releases;
    public final TestOutputTopic<String, TrainingReport> reports;

    public TrainerFixture(Map<String, String> settings) {
        Map<String, Object> merged = new HashMap<>();
        merged.put("application.id", "kelvin-trainer-test");
        merged.put("bootstrap.servers", "unused:1");
        merged.put("processing.guarantee", "exactly_once_v2");
        merged.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope);
        merged.put(KelvinConfig.INFERENCE_DEVICE_CONFIG, "cpu");
        merged.putAll(settings);
        // TopologyTestDriver has one partition per topic: the pooled model waits for partition 0 only.
        merged.putIfAbsent(KelvinConfig.TRAINER_GLOBAL_SOURCE_PARTITIONS_CONFIG, "1");
        // Every fixture its own state directory: the default (/tmp/kafka-streams/<application.id>) is
        // shared by every build on the machine, and RocksDB's lock fails a second concurrent run.
        merged.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, TestDirectories.newStateDir().toString());
        config = KelvinConfig.of(merged);
        serdes = new KelvinSerdes(MockSchemaRegistry.forScope(scope));
        topics = new TopicCatalogue(config, serdes);
        engine = InferenceEngine.create(config, meters);
        DeadLetters deadLetters = new DeadLetters(topics.deadLetters().name(), meters);
        driver = new TopologyTestDriver(TrainerTopology.build(config, topics, engine::load, Clock.fixed(WALL_CLOCK, ZoneOffset.UTC), metrics),
                TrainerTopology.streamsProperties(config, deadLetters));
        feedback = driver.createInputTopic(topics.feedback().name(), Serdes.String().serializer(), serdes.feedback().serializer());
        buildings = driver.createInputTopic(topics.buildings().name(), Serdes.String().serializer(), serdes.profile().serializer());
        releases = driver.createOutputTopic(topics.models().name(), Serdes.String().deserializer(), serdes.modelRelease().deserializer());
        reports = driver.createOutputTopic(topics.trainingReports().name(), Serdes.String().deserializer(), serdes.trainingReport().deserializer());
    }

    /** A simulated fleet's rows (the optimizer's own features and outcomes), seeded; see {@link #utcFleet}. */
    static SimulatedFleetData.Fleet fleet(int buildings, int days) {
        return utcFleet(11, buildings, days);
    }

    /**
     * A simulated fleet renamed {@code sim-001 ...} and moved to UTC, so the trainer's tests can
     * say in plain UTC when a building's local training hour comes. The rows are the simulator's;
     * only the names and the profiles' time zone change.
     */
    static SimulatedFleetData.Fleet utcFleet(long seed, int buildings, int days) {
        SimulatedFleetData.Fleet fleet = SimulatedFleetData.simulate(seed, buildings, days);
        Map<String, String> names = new HashMap<>();
        List<BuildingProfile> profiles = fleet.profiles().stream().map(p -> {
            String name = String.format("sim-%03d", names.size() + 1);
            names.put(p.getBuildingId(), name);
            return BuildingProfile.newBuilder(p).setBuildingId(name).setTimeZone("UTC").build();
        }).toList();
        List<TrainingRow> rows = fleet.rows().stream()
                .map(r -> new TrainingRow(names.get(r.buildingId()), r.decidedAtMs(), r.features(), r.energyKwh(), r.indoorC()))
                .toList();
        return new SimulatedFleetData.Fleet(rows, profiles, fleet.start(), fleet.end());
    }

    /** The feedback record of {@code row}, as the optimizer would write it with no model serving. */
    static Feedback feedback(TrainingRow row) {
        return feedback(row, null, null, null);
    }

    /** The feedback record of {@code row}, decided by {@code modelVersion} with these predictions. */
    static Feedback feedback(TrainingRow row, String modelVersion, Double predictedEnergyKwh, Double predictedIndoorC) {
        Instant decided = Instant.ofEpochMilli(row.decidedAtMs());
        return Feedback.newBuilder()
                .setDecisionId(row.buildingId() + "-" + row.decidedAtMs())
                .setBuildingId(row.buildingId())
                .setDecidedAt(decided)
                .setObservedWindowStart(decided)
                .setObservedWindowEnd(decided.plusMillis(WINDOW_MS))
                .setSetpointC(row.feature("candidate_setpoint_c"))
                .setSource(modelVersion == null ? SetpointSource.FALLBACK : SetpointSource.MODEL)
                .setModelVersion(modelVersion)
                .setFeatures(row.features())
                .setPredictedEnergyKwh(predictedEnergyKwh)
                .setPredictedIndoorC(predictedIndoorC)
                .setObservedEnergyKwh(row.energyKwh())
                .setObservedIndoorC(row.indoorC())
                .setObservedOutdoorC(null)
                .setOccupied(false)
                .build();
    }

    /** Pipes {@code f} keyed by its building, stamped when the optimizer emits it (end of the observed window). */
    void pipe(Feedback f) {
        feedback.pipeInput(f.getBuildingId(), f, f.getObservedWindowEnd());
    }

    void pipeAll(List<Feedback> rows) {
        rows.forEach(this::pipe);
    }

    void profile(BuildingProfile profile) {
        buildings.pipeInput(profile.getBuildingId(), profile);
    }

    @Override
    public void close() {
        driver.close();
        engine.close();
        MockSchemaRegistry.dropScope(scope);
    }
}
