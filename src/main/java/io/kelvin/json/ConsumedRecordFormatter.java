package io.kelvin.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Renders a consumed Kelvin record as one JSON object: the core of {@code kelvin tail}, without
 * a broker.
 *
 * <pre>{"topic":"kelvin.readings","partition":3,"offset":42,"timestamp":"2026-11-23T10:00:00Z",
 *  "key":"b1","value":{...},"headers":{"name":"value"}}</pre>
 *
 * <ul>
 *   <li>{@code value} is the record decoded with its writer schema, in {@link JsonAvro}'s JSON;
 *       {@code null} for a tombstone. A value that does not decode (the dead-letter topic's raw
 *       original bytes, a payload from another producer) never fails the render: it is given as
 *       {@code valueBase64} with the reason in {@code decodeError}.</li>
 *   <li>{@code key} is the key as UTF-8 text; a key that is not valid UTF-8 is given as
 *       {@code keyBase64} instead.</li>
 *   <li>{@code headers} maps each header to its value as UTF-8 text (null for a null value); a
 *       name that occurs more than once maps to an array of its values, in order.</li>
 *   <li>{@code timestamp} is ISO-8601 UTC, or null when the record has none.</li>
 * </ul>
 */
public final class ConsumedRecordFormatter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Deserializer<GenericRecord> values;

    /** @param values decodes a value with its writer schema, such as {@code KelvinSerdes.generic().deserializer()} */
    public ConsumedRecordFormatter(Deserializer<GenericRecord> values) {
        this.values = values;
    }

    /** The JSON object of {@code record}; never throws for bad keys, values or headers. */
    public ObjectNode format(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode out = NODES.objectNode();
        out.put("topic", record.topic());
        out.put("partition", record.partition());
        out.put("offset", record.offset());
        out.put("timestamp", record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp()).toString());
        putKey(out, record.key());
        putValue(out, record);
        out.set("headers", headers(record.headers()));
        return out;
    }

    private static void putKey(ObjectNode out, byte[] key) {
        if (key == null) {
            out.putNull("key");
            return;
        }
        try {
            out.put("key", StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString());
        } catch (CharacterCodingException e) {
            out.put("keyBase64", Base64.getEncoder().encodeToString(key));
        }
    }

    private void putValue(ObjectNode out, ConsumerRecord<byte[], byte[]> record) {
        byte[] bytes = record.value();
        if (bytes == null) {
            out.putNull("value");
            return;
        }
        JsonNode value;
        try {
            GenericRecord decoded = values.deserialize(record.topic(), bytes);
            value = decoded == null ? NODES.nullNode() : JsonAvro.toJson(decoded);
        } catch (RuntimeException e) {
            // Anything that does not decode is still shown, so tail can read the dead-letter topic.
            out.put("valueBase64", Base64.getEncoder().encodeToString(bytes));
            out.put("decodeError", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return;
        }
        out.set("value", value);
    }

    private static ObjectNode headers(Headers headers) {
        Map<String, List<JsonNode>> byName = new LinkedHashMap<>();
        for (Header header : headers) {
            byName.computeIfAbsent(header.key(), k -> new ArrayList<>()).add(header.value() == null
                    ? NODES.nullNode()
                    : NODES.textNode(new String(header.value(), StandardCharsets.UTF_8)));
        }
        ObjectNode out = NODES.objectNode();
        byName.forEach((name, values) -> out.set(name, values.size() == 1 ? values.get(0) : NODES.arrayNode().addAll(values)));
        return out;
    }
}
