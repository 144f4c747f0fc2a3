package io.kelvin.optimizer;

import static io.kelvin.optimizer.OptimizerFixture.office;
import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.config.KelvinConfig;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code kelvin.window.store.encoding}: what the window store's changelog holds, and that the
 * optimizer decides the same either way.
 */
class OptimizerWindowEncodingTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void shouldWriteTheCompactEncodingByDefaultAndAvroWhenSetAndDecideAlike() {
        Run compact = run(Map.of());
        Run avro = run(Map.of(KelvinConfig.WINDOW_STORE_ENCODING_CONFIG, "avro"));

        assertThat(compact.changelog).isNotEmpty().allSatisfy(value -> assertThat(value[0]).isEqualTo((byte) 1));
        assertThat(avro.changelog).isNotEmpty().allSatisfy(value -> assertThat(AvroSerde.schemaIdOf(value)).isPositive());
        assertThat(compact.changelog).hasSameSizeAs(avro.changelog);
        assertThat(compact.lastWindow).isEqualTo(avro.lastWindow);
        assertThat(compact.lastWindow.getReadings()).isEqualTo(30L);
        assertThat(compact.changelog.get(compact.changelog.size() - 1).length)
                .as("the compact window is the smaller").isLessThan(avro.changelog.get(avro.changelog.size() - 1).length);
        assertThat(compact.setpoints).hasSize(1);
        assertThat(compact.setpoints).isEqualTo(avro.setpoints);
    }

    /** What one run left: the window store's changelog values, the last one decoded, the setpoints. */
    private record Run(List<byte[]> changelog, BuildingWindow lastWindow, List<SetpointCommand> setpoints) {}

    private static Run run(Map<String, String> settings) {
        try (OptimizerFixture fx = new OptimizerFixture(new PhysicsPredictor(), settings)) {
            fx.buildings.pipeInput("b1", office("b1"));
            fx.window("b1", T0, 21.0, 5.0, 30.0);
            fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21.0, 5.0, 30.0); // 09:12: the window closes

            String changelogTopic = "kelvin-optimizer-test-" + OptimizerTopology.WINDOW_STORE + "-changelog";
            TestOutputTopic<byte[], byte[]> changelog = fx.driver.createOutputTopic(changelogTopic,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<byte[]> values = changelog.readRecordsToList().stream()
                    .filter(r -> r.value() != null && firstWindow(r))
                    .map(TestRecord::value).toList();
            BuildingWindow last = fx.topics.window().deserializer().deserialize(changelogTopic, values.get(values.size() - 1));
            return new Run(values, last, fx.setpoints.readValuesToList());
        }
    }

    /** A changelog record of the 09:00 window (its key ends with the window start and a sequence number). */
    private static boolean firstWindow(TestRecord<byte[], byte[]> record) {
        byte[] key = record.key();
        long start = ByteBuffer.wrap(key, key.length - 12, 8).getLong();
        return start == T0.toEpochMilli();
    }
}
