package io.kelvin.topics;

import io.kelvin.config.KelvinConfig;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.DecisionState;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.PendingWindow;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.TrainingReport;
import io.kelvin.serde.BuildingWindowSerde;
import io.kelvin.serde.KelvinSerdes;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic Kelvin reads or writes, with its serdes: the one catalogue the topologies, the
 * tests, the CLI and the simulator share. Immutable.
 */
public final class TopicCatalogue {

    /** Keyed topics hold simulated or replayed history; keep it unless an operator says otherwise. */
    /** Largest record on the models topic: inline ONNX models up to about this size, larger ones by URI. */
    public static final int MODELS_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final Map<String, String> KEEP_HISTORY = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
    private static final Map<String, String> COMPACT = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

    private final Topic<String, SensorReading> readings;
    private final Topic<String, BuildingProfile> buildings;
    private final Topic<String, SetpointCommand> setpoints;
    private final Topic<String, Feedback> feedback;
    private final Topic<String, ModelRelease> models;
    private final Topic<String, TrainingReport> trainingReports;
    private final Topic<byte[], byte[]> deadLetters;
    private final BuildingWindowSerde window;
    private final Serde<DecisionState> decision;
    private final Serde<PendingWindow> pendingWindow;
    private final int partitions;
    private final short replicationFactor;

    public TopicCatalogue(KelvinConfig config, KelvinSerdes serdes) {
        Serde<String> key = Serdes.String();
        this.readings = new Topic<>(config.getString(KelvinConfig.READINGS_TOPIC_CONFIG), key, serdes.reading(), false, KEEP_HISTORY);
        this.buildings = new Topic<>(config.getString(KelvinConfig.BUILDINGS_TOPIC_CONFIG), key, serdes.profile(), true, COMPACT);
        this.setpoints = new Topic<>(config.getString(KelvinConfig.SETPOINTS_TOPIC_CONFIG), key, serdes.setpoint(), false, KEEP_HISTORY);
        this.feedback = new Topic<>(config.getString(KelvinConfig.FEEDBACK_TOPIC_CONFIG), key, serdes.feedback(), false, KEEP_HISTORY);
        this.models = new Topic<>(config.getString(KelvinConfig.MODELS_TOPIC_CONFIG), key, serdes.modelRelease(), true,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MODELS_MAX_MESSAGE_BYTES),
                        // Keep a week of superseded releases, so `kelvin model rollback` finds them.
                        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000)));
        this.trainingReports = new Topic<>(config.getString(KelvinConfig.TRAINING_REPORTS_TOPIC_CONFIG), key, serdes.trainingReport(), false, KEEP_HISTORY);
        this.window = new BuildingWindowSerde(serdes.window(),
                BuildingWindowSerde.Encoding.of(config.getString(KelvinConfig.WINDOW_STORE_ENCODING_CONFIG)));
        this.decision = serdes.decision();
        this.pendingWindow = serdes.pendingWindow();
        this.deadLetters = new Topic<>(config.getString(KelvinConfig.DEAD_LETTERS_TOPIC_CONFIG), Serdes.ByteArray(), Serdes.ByteArray(), false, KEEP_HISTORY);
        this.partitions = config.getInt(KelvinConfig.TOPIC_PARTITIONS_CONFIG);
        this.replicationFactor = config.getShort(KelvinConfig.TOPIC_REPLICATION_FACTOR_CONFIG);
    }

    public Topic<String, SensorReading> readings() {
        return readings;
    }

    public Topic<String, BuildingProfile> buildings() {
        return buildings;
    }

    public Topic<String, SetpointCommand> setpoints() {
        return setpoints;
    }

    public Topic<String, Feedback> feedback() {
        return feedback;
    }

    public Topic<String, ModelRelease> models() {
        return models;
    }

    public Topic<String, TrainingReport> trainingReports() {
        return trainingReports;
    }

    public Topic<byte[], byte[]> deadLetters() {
        return deadLetters;
    }

    /** Serde of the window store (an internal changelog, not a catalogue topic). */
    public BuildingWindowSerde window() {
        return window;
    }

    /** Serde of the decision store (an internal changelog). */
    public Serde<DecisionState> decision() {
        return decision;
    }

    /** Serde of the store of closed windows waiting for inference (an internal changelog). */
    public Serde<PendingWindow> pendingWindow() {
        return pendingWindow;
    }

    /** Every topic, in the order an operator would create them. */
    public List<Topic<?, ?>> all() {
        return List.of(buildings, models, readings, setpoints, feedback, trainingReports, deadLetters);
    }

    /** The topic named {@code name}, or null. */
    public Topic<?, ?> byName(String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    /** Partitions Kelvin gives the topics it creates. */
    public int partitions() {
        return partitions;
    }

    /** Replication factor Kelvin gives the topics it creates; -1 for the broker's default. */
    public short replicationFactor() {
        return replicationFactor;
    }
}
