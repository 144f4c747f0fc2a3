package io.kelvin.trainer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.errors.DeadLetters;
import io.kelvin.inference.InferenceEngine;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running trainer: the topology on a {@link KafkaStreams} client, an {@link InferenceEngine}
 * that validates every exported model as the optimizer will, metrics bound, a failed stream
 * thread replaced. Close it to leave the group; state stays on disk for the next start.
 */
public final class TrainerService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrainerService.class);

    private final SchemaRegistryClient registry;
    private final InferenceEngine engine;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final TrainerMetrics metrics;

    private TrainerService(KelvinConfig config, MeterRegistry meters, Clock clock) {
        this.engine = InferenceEngine.create(config, meters);
        this.registry = SchemaRegistries.open(config);
        TopicCatalogue topics = new TopicCatalogue(config, new KelvinSerdes(registry));
        this.metrics = new TrainerMetrics(meters);
        DeadLetters deadLetters = new DeadLetters(topics.deadLetters().name(), meters);
        this.streams = new KafkaStreams(TrainerTopology.build(config, topics, engine::load, clock, metrics),
                TrainerTopology.streamsProperties(config, deadLetters));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((to, from) -> log.info("Trainer {} -> {}", from, to));
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
    }

    /** Builds and starts the trainer; returns at once (use {@link #awaitRunning}). */
    public static TrainerService start(KelvinConfig config, MeterRegistry meters, Clock clock) {
        TrainerService service = new TrainerService(config, meters, clock);
        service.streams.start();
        return service;
    }

    /** Waits until every task is assigned and processing; false after {@code timeout}. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
                return false;
            }
            Thread.sleep(50); // polling a state that Kafka Streams changes on its own threads
        }
        return true;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public TrainerMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        // Leave the group: the trainer runs as one instance, and its replacement in a rolling
        // restart should take the tasks now rather than after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        streamsMetrics.close();
        registry.close();
        engine.close();
    }
}
