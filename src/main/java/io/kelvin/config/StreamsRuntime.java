package io.kelvin.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kelvin topology on a {@link KafkaStreams} client the way every Kelvin process runs one: its
 * client metrics bound, its state changes logged, a stream thread that dies of an unexpected
 * error replaced rather than lost. State stays on disk on close (Kelvin never wipes it).
 */
public final class StreamsRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamsRuntime.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final String applicationId;
    private final TopologyDescription description;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CloseOptions closeOptions;

    /**
     * @param name         what the log lines call it (Optimizer, Trainer)
     * @param leaveOnClose whether closing leaves the consumer group at once (a single-instance
     *                     application whose replacement should take the tasks now, not after the
     *                     session timeout)
     */
    public StreamsRuntime(String name, Topology topology, Properties settings, MeterRegistry meters, boolean leaveOnClose) {
        this.streams = new KafkaStreams(topology, settings);
        this.applicationId = settings.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        this.description = topology.describe();
        streams.setUncaughtExceptionHandler(e -> {
            log.error("{} stream thread failed; replacing it", name, e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((to, from) -> log.info("{} {} -> {}", name, from, to));
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        CloseOptions options = leaveOnClose
                ? CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                : CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
        this.closeOptions = options.withTimeout(CLOSE_TIMEOUT);
    }

    public void start() {
        streams.start();
    }

    /** Waits until every task is assigned and processing; false after {@code timeout} or on failure. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            KafkaStreams.State state = streams.state();
            if (System.nanoTime() > deadline || !state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED) {
                return false;
            }
            Thread.sleep(50); // polling a state that Kafka Streams changes on its own threads
        }
        return true;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * The application id and, per sub-topology, its source topics and state stores (for {@code
     * /info}; the full description is checked in under {@code topology/}).
     */
    public Map<String, Object> topologyInfo() {
        List<Map<String, Object>> subtopologies = new ArrayList<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            Set<String> sources = new TreeSet<>();
            Set<String> stores = new TreeSet<>();
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    sources.addAll(source.topicSet());
                }
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }
            subtopologies.add(Map.of("id", sub.id(), "sourceTopics", sources, "stores", stores));
        }
        Set<String> globalStores = new TreeSet<>();
        description.globalStores().forEach(g -> globalStores.addAll(g.processor().stores()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("applicationId", applicationId);
        out.put("subtopologies", subtopologies);
        out.put("globalStores", globalStores);
        return out;
    }

    @Override
    public void close() {
        streams.close(closeOptions);
        streamsMetrics.close();
    }
}
