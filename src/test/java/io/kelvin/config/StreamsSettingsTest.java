package io.kelvin.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.errors.DeadLetters;
import io.kelvin.optimizer.OptimizerTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Kafka Streams settings Kelvin adds to the user's: defaults the user can override, and what it always sets. */
class StreamsSettingsTest {
    private static final String GLOBAL_FETCH_WAIT = "global.consumer.fetch.max.wait.ms";
    private final DeadLetters deadLetters = new DeadLetters("kelvin.dead-letters", new SimpleMeterRegistry());

    private static KelvinConfig config(Map<String, String> user) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "application.id", "kelvin-optimizer",
                "bootstrap.servers", "unused:1",
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://streams-settings-test"));
        settings.putAll(user);
        return KelvinConfig.of(settings);
    }

    @Test
    void shouldShortenTheGlobalConsumersFetchWaitSoGlobalStoresLoadQuickly() {
        Properties props = StreamsSettings.of(config(Map.of()), deadLetters);

        assertThat(props).containsEntry(GLOBAL_FETCH_WAIT, 100);
        assertThat(new StreamsConfig(props).getGlobalConsumerConfigs("kelvin-test")).containsEntry("fetch.max.wait.ms", 100);
        assertThat(new StreamsConfig(props).getMainConsumerConfigs("kelvin", "kelvin-test", 0))
                .as("only the global consumer is changed").doesNotContainKey("fetch.max.wait.ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fetch.max.wait.ms", "consumer.fetch.max.wait.ms", GLOBAL_FETCH_WAIT})
    void shouldLeaveTheFetchWaitToTheUserWhoSetsOne(String key) {
        Properties props = StreamsSettings.of(config(Map.of(key, "700")), deadLetters);

        assertThat(new StreamsConfig(props).getGlobalConsumerConfigs("kelvin-test")).containsEntry("fetch.max.wait.ms", "700");
    }

    @Test
    void shouldNotIdleTheOptimizersSinglePartitionTasksUnlessTheUserSaysSo() {
        assertThat(OptimizerTopology.streamsProperties(config(Map.of()), deadLetters))
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED)
                .containsEntry(OptimizerTopology.EMIT_INTERVAL_CONFIG, 0L);
        assertThat(OptimizerTopology.streamsProperties(config(Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0")), deadLetters))
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0");
    }
}
