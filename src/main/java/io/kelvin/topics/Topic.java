package io.kelvin.topics;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kelvin topic: its name, its serdes and how Kelvin creates it.
 *
 * @param name        topic name (configurable; defaults in {@link io.kelvin.config.KelvinConfig})
 * @param keySerde    serde of the key
 * @param valueSerde  serde of the value
 * @param compacted   whether the topic is a changelog of latest values (cleanup.policy=compact)
 * @param topicConfigs further topic-level settings applied when Kelvin creates the topic
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted,
                          Map<String, String> topicConfigs) {

    public Topic {
        topicConfigs = Map.copyOf(topicConfigs);
    }
}
