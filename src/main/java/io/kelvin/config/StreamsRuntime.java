package io.kelvin.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
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
 *
 * <p>An authorization or authentication error is not replaced: a new thread would fail the same
 * way, forever, while the service looked alive. The client stops instead ({@code ERROR}, so
 * {@code /health/live} fails and the pod is restarted, picking up ACLs granted since), and
 * {@link #failure()} says which principal was refused what.
 */
public final class StreamsRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamsRuntime.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    public static final String ROCKSDB_BLOCK_CACHE_USED = "kelvin.rocksdb.block.cache.used";
    public static final String ROCKSDB_BLOCK_CACHE_LIMIT = "kelvin.rocksdb.block.cache.limit";

    private final KafkaStreams streams;
    private final String applicationId;
    private final TopologyDescription description;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CloseOptions closeOptions;
    private volatile String failure;

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
            String refusal = securityRefusal(name, e);
            if (refusal != null) {
                failure = refusal;
                log.error("{}; stopping", refusal, e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            log.error("{} stream thread failed; replacing it", name, e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((to, from) -> log.info("{} {} -> {}", name, from, to));
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        if (settings.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG) == RocksDBMemory.class) {
            bindRocksDBBlockCache(meters, applicationId);
        }
        CloseOptions options = leaveOnClose
                ? CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                : CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
        this.closeOptions = options.withTimeout(CLOSE_TIMEOUT);
    }

    /** The size of the application's shared RocksDB block cache and how much of it is in use (0 until a store opens). */
    private static void bindRocksDBBlockCache(MeterRegistry meters, String applicationId) {
        Gauge.builder(ROCKSDB_BLOCK_CACHE_USED, () -> RocksDBMemory.budgetOf(applicationId).map(RocksDBMemory.Budget::usedBytes).orElse(0L))
                .baseUnit(BaseUnits.BYTES).tag("application_id", applicationId)
                .description("Off-heap memory in the block cache the application's RocksDB stores share: data, index and filter blocks")
                .register(meters);
        Gauge.builder(ROCKSDB_BLOCK_CACHE_LIMIT, () -> RocksDBMemory.budgetOf(applicationId).map(RocksDBMemory.Budget::limitBytes).orElse(0L))
                .baseUnit(BaseUnits.BYTES).tag("application_id", applicationId)
                .description("kelvin.rocksdb.block.cache.bytes: the size of that cache")
                .register(meters);
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

    /** Why the client stopped itself (a missing ACL, rejected credentials); empty while it has not. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * A line naming the security error in {@code e}'s causes, or null when there is none. Kafka's
     * messages name the resource ("Not authorized to access topics: [kelvin.setpoints]").
     */
    static String securityRefusal(String name, Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthorizationException) {
                return name + " is not authorized by the Kafka cluster (" + cause.getClass().getSimpleName() + ": "
                        + cause.getMessage() + "); grant the ACLs in the README's \"Kafka ACLs\"";
            }
            if (cause instanceof AuthenticationException) {
                return name + " cannot authenticate to the Kafka cluster (" + cause.getClass().getSimpleName() + ": "
                        + cause.getMessage() + "); check security.protocol, sasl.mechanism and sasl.jaas.config";
            }
        }
        return null;
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
