package io.kelvin.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.TrainingReport;
import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns the lines of a JSON-lines file into records for one Kelvin topic: the core of {@code
 * kelvin produce}, without a broker.
 *
 * <p>Each line is one JSON object in the natural form {@link JsonAvro} reads, checked against the
 * topic's value schema. Blank lines and lines starting with {@code #} are skipped. The key is a
 * field of the record ({@code buildingId}, or {@code modelKey} for models and training reports,
 * unless another is chosen); the record timestamp is a reading's {@code observedAt}, and the
 * clock's time for every other record type.
 *
 * @param <V> the topic's value type
 */
public final class JsonLineParser<V extends SpecificRecord> {

    // One JSON value per line; duplicate names are a mistake, not "last one wins". NaN and
    // Infinity are let through the parser so JsonAvro can reject them with the field's path.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Set<Schema.Type> KEY_TYPES =
            EnumSet.of(Schema.Type.STRING, Schema.Type.ENUM, Schema.Type.INT, Schema.Type.LONG, Schema.Type.BOOLEAN);

    private final Topic<String, V> topic;
    private final Class<V> type;
    private final Schema.Field keyField;
    private final Schema.Field timestampField;
    private final Clock clock;

    private JsonLineParser(Topic<String, V> topic, Class<V> type, String keyField, String timestampField, Clock clock) {
        Schema schema = SpecificData.getForClass(type).getSchema(type);
        this.topic = topic;
        this.type = type;
        this.keyField = keyField(schema, keyField);
        this.timestampField = timestampField == null ? null : schema.getField(timestampField);
        this.clock = clock;
    }

    /**
     * The parser for the catalogue topic called {@code topicName} (configured or short name).
     *
     * @param keyField the field whose value becomes the key; null for the topic's usual key
     * @param clock    gives the timestamp of records that carry no observation time
     * @throws IllegalArgumentException for an unknown topic, the dead-letter topic, or a key field
     *                                  the record type does not have
     */
    public static JsonLineParser<?> forTopic(TopicCatalogue catalogue, String topicName, String keyField, Clock clock) {
        Topic<?, ?> topic = TopicNames.resolve(catalogue, topicName);
        if (topic == catalogue.readings()) {
            return new JsonLineParser<>(catalogue.readings(), SensorReading.class, or(keyField, "buildingId"), "observedAt", clock);
        }
        if (topic == catalogue.buildings()) {
            return new JsonLineParser<>(catalogue.buildings(), BuildingProfile.class, or(keyField, "buildingId"), null, clock);
        }
        if (topic == catalogue.setpoints()) {
            return new JsonLineParser<>(catalogue.setpoints(), SetpointCommand.class, or(keyField, "buildingId"), null, clock);
        }
        if (topic == catalogue.feedback()) {
            return new JsonLineParser<>(catalogue.feedback(), Feedback.class, or(keyField, "buildingId"), null, clock);
        }
        if (topic == catalogue.models()) {
            return new JsonLineParser<>(catalogue.models(), ModelRelease.class, or(keyField, "modelKey"), null, clock);
        }
        if (topic == catalogue.trainingReports()) {
            // A training report has no buildingId: its modelKey is the building id or __global__.
            return new JsonLineParser<>(catalogue.trainingReports(), TrainingReport.class, or(keyField, "modelKey"), null, clock);
        }
        throw new IllegalArgumentException(topic.name() + " holds the raw bytes of records Kelvin could not process;"
                + " produce writes Avro records to " + TopicNames.describe(catalogue).replace(", " + topic.name() + " (dead-letters)", ""));
    }

    /** The topic the records go to. */
    public Topic<String, V> topic() {
        return topic;
    }

    /** The name of the field whose value is the key. */
    public String keyField() {
        return keyField.name();
    }

    /** Parses line {@code lineNumber} (1-based, counting every line of the input) of the input. */
    public ParsedLine<V> parse(long lineNumber, String line) {
        String text = lineNumber == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line; // a BOM some editors write
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return new ParsedLine.Skipped<>();
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            return new ParsedLine.Invalid<>(lineNumber, "not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        V value;
        try {
            value = JsonAvro.toRecord(json, type);
        } catch (JsonAvroException e) {
            return new ParsedLine.Invalid<>(lineNumber, e.getMessage());
        }
        Object key = value.get(keyField.pos());
        if (key == null) {
            return new ParsedLine.Invalid<>(lineNumber, keyField.name() + ": is null, but it is the record key");
        }
        return new ParsedLine.Valid<>(new ProducerRecord<>(topic.name(), null, timestampOf(value), key.toString(), value));
    }

    private long timestampOf(V value) {
        if (timestampField == null) {
            return clock.millis();
        }
        Object observed = value.get(timestampField.pos());
        return observed instanceof Instant instant ? instant.toEpochMilli() : ((Number) observed).longValue();
    }

    private static Schema.Field keyField(Schema schema, String name) {
        Schema.Field field = schema.getField(name);
        if (field == null) {
            throw new IllegalArgumentException("--key-field " + name + ": " + schema.getName() + " has no such field; its fields are "
                    + schema.getFields().stream().map(Schema.Field::name).collect(Collectors.joining(", ")));
        }
        Schema type = field.schema();
        if (type.getType() == Schema.Type.UNION) {
            type = type.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(type);
        }
        if (!KEY_TYPES.contains(type.getType())) {
            throw new IllegalArgumentException("--key-field " + name + ": a key must be a string, number, boolean or enum field, "
                    + name + " is " + type.getType().getName());
        }
        return field;
    }

    private static String or(String chosen, String usual) {
        return chosen == null ? usual : chosen;
    }
}
