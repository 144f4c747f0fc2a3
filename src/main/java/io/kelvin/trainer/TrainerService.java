package io.kelvin.trainer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.config.StreamsRuntime;
import io.kelvin.errors.DeadLetters;
import io.kelvin.inference.InferenceEngine;
import io.kelvin.ops.ServiceStatus;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running trainer: the topology on a {@link KafkaStreams} client, an {@link InferenceEngine}
 * that validates every exported model as the optimizer will, metrics bound, a failed stream
 * thread replaced. Close it to leave the group; state stays on disk for the next start.
 */
public final class TrainerService implements AutoCloseable, ServiceStatus {
    private static final Logger log = LoggerFactory.getLogger(TrainerService.class);
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
        this.streams = new StreamsRuntime("Trainer", TrainerTopology.build(config, topics, engine::load, clock, metrics,
                feedbackPartitions(config, topics.feedback().name())),
                TrainerTopology.streamsProperties(config, deadLetters), meters, true);
    }

    /**
     * The partitions the pooled model waits for: the configured count, else the feedback topic's
     * actual count, else {@value KelvinConfig#TOPIC_PARTITIONS_CONFIG} (the pooled task also
     * waits for any partition it hears from, so a low guess only lets it start earlier).
     */
    private static int feedbackPartitions(KelvinConfig config, String feedbackTopic) {
        int configured = config.getInt(KelvinConfig.TRAINER_GLOBAL_SOURCE_PARTITIONS_CONFIG);
        if (configured > 0) {
            return configured;
        }
        try (Admin admin = Admin.create(config.clientSettings())) {
            return admin.describeTopics(List.of(feedbackTopic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(feedbackTopic).partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("Cannot count the partitions of {} ({}); the pooled model waits for {}", feedbackTopic, e.toString(),
                    config.getInt(KelvinConfig.TOPIC_PARTITIONS_CONFIG));
        }
        return config.getInt(KelvinConfig.TOPIC_PARTITIONS_CONFIG);
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

    /** Only why Kafka Streams stopped itself, when it did (a missing ACL): the trainer needs no model to start training. */
    @Override
    public List<String> notReadyReasons() {
        return streams.failure().map(List::of).orElse(List.of());
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
