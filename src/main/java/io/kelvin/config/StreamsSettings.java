package io.kelvin.config;

import io.kelvin.errors.DeadLetterDeserializationHandler;
import io.kelvin.errors.DeadLetterProcessingHandler;
import io.kelvin.errors.DeadLetters;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings every Kelvin topology requires, on top of the user's. */
public final class StreamsSettings {
    /**
     * The global consumer's {@code fetch.max.wait.ms} unless the user sets one. Kafka Streams
     * bootstraps a global store one partition at a time, and each partition's offset lookup
     * queues behind the fetch still parked on the broker for the partition before it, for up to
     * {@code fetch.max.wait.ms} (500 ms by default): 5.5 s of every start with 12 profile
     * partitions, 1.1 s at 100 ms (BENCHMARKS.md, 2026-12-07). At 100 ms an idle global consumer
     * sends ten fetches a second instead of two.
     */
    public static final int GLOBAL_FETCH_MAX_WAIT_MS = 100;

    private StreamsSettings() {}

    /**
     * The user's Kafka settings plus explicit names, the dead-letter topic and handlers (for the
     * global thread too: a bad building profile must not stop it), and {@link RocksDBMemory}'s
     * shared, bounded block cache unless the user brings a {@code rocksdb.config.setter}. Carries
     * {@code deadLetters} to the handlers Kafka Streams instantiates.
     */
    public static Properties of(KelvinConfig config, DeadLetters deadLetters) {
        Properties props = new Properties();
        props.putAll(config.kafkaSettings());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetters.topic());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(DeadLetters.INSTANCE_CONFIG, deadLetters);
        if (Stream.of("", StreamsConfig.CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX)
                .noneMatch(prefix -> props.containsKey(prefix + ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))) {
            props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), GLOBAL_FETCH_MAX_WAIT_MS);
        }
        long blockCacheBytes = config.getLong(KelvinConfig.ROCKSDB_BLOCK_CACHE_BYTES_CONFIG);
        if (blockCacheBytes > 0 && !props.containsKey(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)) {
            props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDBMemory.class);
            props.put(KelvinConfig.ROCKSDB_BLOCK_CACHE_BYTES_CONFIG, blockCacheBytes);
        }
        return props;
    }

    /** Just enough of a StreamsConfig for a builder to enforce explicit naming at build time. */
    public static Properties namingRules(KelvinConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaSettings().getOrDefault(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:1"));
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return props;
    }
}
