package io.kelvin.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.SensorReading;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Fuzzes the readings deserializer, the first code that touches untrusted bytes. Whatever the
 * bytes, it either returns a complete {@link SensorReading} or throws a
 * {@link SerializationException} (which Kafka Streams routes to the dead-letter topic); any other
 * throwable, an out-of-memory error from a forged length included, would kill a stream thread.
 *
 * <p>Under {@code mvn verify} this replays the seed corpus in
 * {@code src/test/resources/io/kelvin/serde/AvroSerdeFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes for real (see the README, Reliability).
 */
class AvroSerdeFuzzTest {
    private static final String TOPIC = "kelvin.readings";
    private static final String SCOPE = "avro-serde-fuzz";
    // Schema ids 1, 2 and 3 exist, so fuzzed headers reach the Avro decoder with a reading
    // schema and with two wrong ones (a profile, a model release) as writer.
    private static final KelvinSerdes SERDES = registered();

    private static KelvinSerdes registered() {
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(SCOPE);
        registry.register(TOPIC + "-value", SensorReading.getClassSchema());
        registry.register("kelvin.buildings-value", BuildingProfile.getClassSchema());
        registry.register("kelvin.models-value", ModelRelease.getClassSchema());
        return new KelvinSerdes(registry);
    }

    @FuzzTest(maxDuration = "60s")
    void readingDeserializerEitherDecodesOrThrowsSerializationException(byte[] payload) {
        SensorReading reading;
        try {
            reading = SERDES.reading().deserialize(TOPIC, payload);
        } catch (SerializationException expected) {
            assertThat(expected.getMessage()).contains(TOPIC);
            return;
        }
        if (payload == null) {
            assertThat(reading).isNull();
            return;
        }
        // A decoded reading is complete and re-encodes stably (bytes compared: NaN != NaN).
        assertThat(reading.getBuildingId()).isNotNull();
        assertThat(reading.getDeviceId()).isNotNull();
        assertThat(reading.getMetric()).isNotNull();
        assertThat(reading.getObservedAt()).isNotNull();
        byte[] again = SERDES.reading().serialize(TOPIC, reading);
        assertThat(SERDES.reading().serialize(TOPIC, SERDES.reading().deserialize(TOPIC, again))).isEqualTo(again);
    }
}
