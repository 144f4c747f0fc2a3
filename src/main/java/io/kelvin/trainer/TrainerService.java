package io.kelvin.trainer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.config.StreamsRuntime;
import io.kelvin.errors.DeadLetters;
import io.kelvin.inference.InferenceEngine;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import io.kelvin.ops.ServiceStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A running trainer: the topology on a {@link KafkaStreams} client, an {@link InferenceEngine}
 * that validates every exported model as the optimizer will, metrics bound, a failed stream
 * thread replaced. Close it to leave the group; state stays on disk for the next start.
 */
public final class TrainerService implements AutoCloseable, ServiceStatus {
    private final SchemaRegistryClient registry;
    private final InferenceEngine engine;
    private final StreamsRuntime streams;
    private final TrainerMetrics metrics;

    private TrainerService(KelvinConfig config, MeterRegistry meters, Clock clock) {
        this.engine = InferenceEngine.create(config, meters);
        this.registry = SchemaRegistries.open(config);
        TopicCatalogue topics = new TopicCatalogue(config, new KelvinSerdes(registry));
        this.metrics = new TrainerMetrics(meters);
        DeadLetters deadLetters = new DeadLetters(topics.deadLetters().name(), meters);
        // Leaves the group on close: the trainer runs as one instance, and its replacement in a
        // rolling restart should take the tasks now rather than after the session timeout.
        this.streams = new StreamsRuntime("Trainer", TrainerTopology.build(config, topics, engine::load, clock, metrics),
                TrainerTopology.streamsProperties(config, deadLetters), meters, true);
    }

    /** Builds and starts the trainer; returns at once (use {@link #awaitRunning}). */
    public static TrainerService start(KelvinConfig config, MeterRegistry meters, Clock clock) {
        TrainerService service = new TrainerService(config, meters, clock);
        service.streams.start();
        return service;
    }

    /** Waits until every task is assigned and processing; false after {@code timeout}. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return streams.awaitRunning(timeout);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public TrainerMetrics metrics() {
        return metrics;
    }

    @Override
    public String role() {
        return "trainer";
    }

    @Override
    public KafkaStreams.State streamsState() {
        return streams.state();
    }

    /** Nothing beyond the Streams state: the trainer needs no model to start training. */
    @Override
    public List<String> notReadyReasons() {
        return List.of();
    }

    @Override
    public Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("topology", streams.topologyInfo());
        info.put("inferenceDevice", engine.device().tag());
        return info;
    }

    @Override
    public void close() {
        streams.close();
        registry.close();
        engine.close();
    }
}
