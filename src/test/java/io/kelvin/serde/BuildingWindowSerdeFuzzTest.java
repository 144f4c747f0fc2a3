package io.kelvin.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.serde.BuildingWindowSerde.Encoding;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Fuzzes the window store's deserializer (the compact encoding and the Avro wire format). Whatever
 * the bytes, it either returns a complete {@link BuildingWindow} or throws a {@link
 * SerializationException}; any other throwable, an out-of-memory error from a forged length
 * included, would kill a stream thread.
 *
 * <p>Under {@code mvn verify} this replays the seed corpus in
 * {@code src/test/resources/io/kelvin/serde/BuildingWindowSerdeFuzzTestInputs/}; {@code
 * JAZZER_FUZZ=1} fuzzes for real (see the README, Reliability).
 */
class BuildingWindowSerdeFuzzTest {
    private static final String TOPIC = "kelvin-optimizer-kelvin-building-windows-changelog";
    private static final BuildingWindowSerde SERDE = registered();

    private static BuildingWindowSerde registered() {
        // Schema id 1 is the window's, so fuzzed wire-format headers reach the Avro decoder too.
        MockSchemaRegistry registry = MockSchemaRegistry.forScope("building-window-serde-fuzz");
        registry.register(TOPIC + "-value", BuildingWindow.getClassSchema());
        return new BuildingWindowSerde(new KelvinSerdes(registry).window(), Encoding.COMPACT);
    }

    @FuzzTest(maxDuration = "60s")
    void windowDeserializerEitherDecodesOrThrowsSerializationException(byte[] payload) {
        BuildingWindow window;
        try {
            window = SERDE.deserializer().deserialize(TOPIC, payload);
        } catch (SerializationException expected) {
            assertThat(expected.getMessage()).contains(TOPIC);
            return;
        }
        if (payload == null) {
            assertThat(window).isNull();
            return;
        }
        // A decoded window is complete and re-encodes stably (bytes compared: NaN != NaN).
        assertThat(window.getBuildingId()).isNotNull();
        assertThat(window.getMetrics()).doesNotContainValue(null);
        assertThat(window.getPowerSamples()).doesNotContainNull();
        byte[] again = SERDE.serializer().serialize(TOPIC, window);
        assertThat(SERDE.serializer().serialize(TOPIC, SERDE.deserializer().deserialize(TOPIC, again))).isEqualTo(again);
    }
}
