package io.kelvin.config;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Which non-Kelvin keys are real Kafka settings, so a typo fails at start instead of being ignored. */
final class KafkaSettings {

    private static final List<String> CLIENT_PREFIXES = List.of(
            StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX);

    private static final Set<String> CLIENT_NAMES = new TreeSet<>();
    private static final Set<String> STREAMS_NAMES = new TreeSet<>(StreamsConfig.configDef().names());
    private static final Set<String> TOPIC_NAMES = new TreeSet<>();

    static {
        CLIENT_NAMES.addAll(ConsumerConfig.configNames());
        CLIENT_NAMES.addAll(ProducerConfig.configNames());
        CLIENT_NAMES.addAll(AdminClientConfig.configNames());
        for (var field : TopicConfig.class.getFields()) {
            if (field.getName().endsWith("_CONFIG")) {
                try {
                    TOPIC_NAMES.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private KafkaSettings() {}

    static boolean isKnown(String key) {
        if (STREAMS_NAMES.contains(key) || CLIENT_NAMES.contains(key)) {
            return true;
        }
        if (key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
            return TOPIC_NAMES.contains(key.substring(StreamsConfig.TOPIC_PREFIX.length()));
        }
        for (String prefix : CLIENT_PREFIXES) {
            if (key.startsWith(prefix)) {
                return CLIENT_NAMES.contains(key.substring(prefix.length()));
            }
        }
        return false;
    }

    static boolean isClientSetting(String key) {
        return CLIENT_NAMES.contains(key);
    }

    static Set<String> namesWithPrefixes() {
        Set<String> out = new TreeSet<>(STREAMS_NAMES);
        out.addAll(CLIENT_NAMES);
        for (String prefix : CLIENT_PREFIXES) {
            CLIENT_NAMES.forEach(n -> out.add(prefix + n));
        }
        return out;
    }
}
