package io.kelvin.ops;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What a running Kelvin service (optimizer, trainer) tells its {@link OperationsServer}: the
 * state of its Kafka Streams client, anything else that keeps it from doing its work, and the
 * facts {@code /info} shows. Called from the HTTP server's thread, so implementations read
 * thread-safe state only.
 */
public interface ServiceStatus {

    /** {@code optimizer} or {@code trainer}. */
    String role();

    KafkaStreams.State streamsState();

    /** Why the service cannot do its work now although Kafka Streams may be running; empty when it can. */
    List<String> notReadyReasons();

    /** Role-specific facts for {@code /info}: models in use, stale buildings, the topology. */
    Map<String, Object> info();
}
