package io.kelvin.optimizer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.errors.DeadLetters;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running optimizer: the topology on a {@link KafkaStreams} client, its metrics bound, a stream
 * thread that dies of an unexpected error replaced rather than lost. Close it to leave the group
 * cleanly (state stays on disk for the next start; Kelvin never wipes it).
 */
public final class OptimizerService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OptimizerService.class);

    private final SchemaRegistryClient registry;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final OptimizerMetrics metrics;
    private final DeadLetters deadLetters;

    private OptimizerService(KelvinConfig config, MeterRegistry meters, Predictor predictor, Clock clock) {
        this.registry = SchemaRegistries.open(config);
        KelvinSerdes serdes = new KelvinSerdes(registry);
        TopicCatalogue topics = new TopicCatalogue(config, serdes);
        this.metrics = new OptimizerMetrics(meters);
        this.deadLetters = new DeadLetters(topics.deadLetters().name(), meters);
        this.streams = new KafkaStreams(OptimizerTopology.build(config, topics, predictor, clock, metrics),
                OptimizerTopology.streamsProperties(config, deadLetters));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((to, from) -> log.info("Optimizer {} -> {}", from, to));
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
    }

    /** Builds and starts the optimizer; returns at once (use {@link #awaitRunning}). */
    public static OptimizerService start(KelvinConfig config, MeterRegistry meters, Predictor predictor, Clock clock) {
        OptimizerService service = new OptimizerService(config, meters, predictor, clock);
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

    public OptimizerMetrics metrics() {
        return metrics;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        streamsMetrics.close();
        registry.close();
    }
}
