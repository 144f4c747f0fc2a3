package io.kelvin.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import io.kelvin.serde.AvroSerde;
import io.kelvin.serde.KelvinSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsumedRecordFormatterTest {

    private static final Instant WINDOW_END = Instant.parse("2026-11-23T10:10:00Z");

    private String scope;
    private KelvinSerdes serdes;
    private ConsumedRecordFormatter formatter;

    @BeforeEach
    void setUp() {
        scope = "formatter-" + UUID.randomUUID();
        serdes = new KelvinSerdes(MockSchemaRegistry.forScope(scope));
        formatter = new ConsumedRecordFormatter(serdes.generic().deserializer());
    }

    @AfterEach
    void tearDown() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldRenderADecodableRecordAsOneJsonLine() {
        SetpointCommand command = SetpointCommand.newBuilder()
                .setDecisionId("b1@2026-11-23T10:10:00Z").setBuildingId("b1").setSetpointC(21.5)
                .setWindowStart(WINDOW_END.minusSeconds(600)).setWindowEnd(WINDOW_END).setValidUntil(WINDOW_END.plusSeconds(1500))
                .setSource(SetpointSource.FALLBACK).setReason("no-model").build();
        byte[] value = serdes.setpoint().serializer().serialize("kelvin.setpoints", command);
        Headers headers = new RecordHeaders().add("traceparent", "00-abc-01".getBytes(StandardCharsets.UTF_8));

        ObjectNode json = formatter.format(record("kelvin.setpoints", "b1".getBytes(StandardCharsets.UTF_8), value, headers));

        assertThat(json.toString()).isEqualTo("{\"topic\":\"kelvin.setpoints\",\"partition\":3,\"offset\":42,"
                + "\"timestamp\":\"2026-11-23T10:10:00Z\",\"key\":\"b1\",\"value\":{\"decisionId\":\"b1@2026-11-23T10:10:00Z\","
                + "\"buildingId\":\"b1\",\"setpointC\":21.5,\"windowStart\":\"2026-11-23T10:00:00Z\",\"windowEnd\":\"2026-11-23T10:10:00Z\","
                + "\"validUntil\":\"2026-11-23T10:35:00Z\",\"source\":\"FALLBACK\",\"reason\":\"no-model\",\"modelVersion\":null,"
                + "\"previousSetpointC\":null,\"predictedEnergyKwh\":null,\"predictedIndoorC\":null,\"occupied\":false,"
                + "\"ventilationLps\":null},"
                + "\"headers\":{\"traceparent\":\"00-abc-01\"}}");
    }

    @Test
    void shouldRenderAnUndecodableDeadLetterWithItsBytesReasonAndHeaders() {
        byte[] original = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        Headers headers = new RecordHeaders()
                .add("__streams.errors.exception", "org.apache.kafka.common.errors.SerializationException".getBytes(StandardCharsets.UTF_8))
                .add("kelvin.reason", "deserialization".getBytes(StandardCharsets.UTF_8))
                .add("kelvin.note", null);

        ObjectNode json = formatter.format(record("kelvin.dead-letters", "b1".getBytes(StandardCharsets.UTF_8), original, headers));

        assertThat(json.has("value")).isFalse();
        assertThat(json.get("valueBase64").textValue()).isEqualTo(Base64.getEncoder().encodeToString(original));
        assertThat(json.get("decodeError").textValue()).contains("unknown magic byte 123");
        assertThat(json.get("key").textValue()).isEqualTo("b1");
        assertThat(json.get("headers").toString()).isEqualTo("{\"__streams.errors.exception\":"
                + "\"org.apache.kafka.common.errors.SerializationException\",\"kelvin.reason\":\"deserialization\",\"kelvin.note\":null}");
    }

    @Test
    void shouldRenderAValueWithAnUnknownSchemaIdAsUndecodable() {
        byte[] unknownId = {0, 0, 0, 0x7f, 0x7f, 2, 4};

        ObjectNode json = formatter.format(record("kelvin.readings", null, unknownId, new RecordHeaders()));

        assertThat(json.get("decodeError").textValue()).contains("unknown schema id 32639");
        assertThat(json.get("key").isNull()).isTrue();
    }

    @Test
    void shouldDecodeAnyWriterSchemaVersion() {
        // A reading written by an older producer whose schema had fewer fields still prints, as written.
        Schema older = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"SensorReading\",\"namespace\":\"io.kelvin.schema\","
                + "\"fields\":[{\"name\":\"buildingId\",\"type\":\"string\"},{\"name\":\"value\",\"type\":\"double\"}]}");
        GenericRecord reading = new GenericData.Record(older);
        reading.put("buildingId", "b1");
        reading.put("value", 21.0);
        byte[] value = AvroSerde.generic(serdes.registry()).serializer().serialize("kelvin.readings", reading);

        ObjectNode json = formatter.format(record("kelvin.readings", null, value, new RecordHeaders()));

        assertThat(json.get("value").toString()).isEqualTo("{\"buildingId\":\"b1\",\"value\":21.0}");
    }

    @Test
    void shouldRenderTombstonesRepeatedHeadersAndBinaryKeys() {
        byte[] binaryKey = {(byte) 0xff, 0x00, 0x41};
        Headers headers = new RecordHeaders()
                .add("hop", "a".getBytes(StandardCharsets.UTF_8))
                .add("hop", "b".getBytes(StandardCharsets.UTF_8));

        ObjectNode json = formatter.format(record("kelvin.buildings", binaryKey, null, headers));

        assertThat(json.get("value").isNull()).isTrue();
        assertThat(json.has("key")).isFalse();
        assertThat(json.get("keyBase64").textValue()).isEqualTo("/wBB");
        assertThat(json.get("headers").toString()).isEqualTo("{\"hop\":[\"a\",\"b\"]}");
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] key, byte[] value, Headers headers) {
        return new ConsumerRecord<>(topic, 3, 42, WINDOW_END.toEpochMilli(), TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers, Optional.empty());
    }
}
