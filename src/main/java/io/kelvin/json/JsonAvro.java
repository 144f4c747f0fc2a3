package io.kelvin.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Converts between the JSON a person writes and Avro data of a given schema. This is
 * <em>not</em> Avro's JSON encoding: unions are not wrapped in {@code {"string": ...}}, and
 * logical types read the way people write them.
 *
 * <table>
 *   <caption>How each Avro type looks in JSON</caption>
 *   <tr><th>Avro</th><th>JSON</th></tr>
 *   <tr><td>{@code ["null", T]}</td><td>the value of T, or {@code null}</td></tr>
 *   <tr><td>other unions</td><td>the value of the first branch it fits (read); the value of its branch (written)</td></tr>
 *   <tr><td>enum</td><td>the symbol as a string</td></tr>
 *   <tr><td>{@code timestamp-millis}, {@code timestamp-micros}</td><td>read: epoch number or ISO-8601 instant
 *       ({@code 2026-11-23T10:00:00Z}, an offset is converted); written: ISO-8601 UTC</td></tr>
 *   <tr><td>{@code date}</td><td>{@code YYYY-MM-DD}</td></tr>
 *   <tr><td>bytes, fixed</td><td>base64 (standard alphabet, padded)</td></tr>
 *   <tr><td>int, long</td><td>integral numbers in range ({@code 3.0} is accepted as 3)</td></tr>
 *   <tr><td>float, double</td><td>finite numbers; NaN and infinities are rejected on read</td></tr>
 *   <tr><td>record, map, array</td><td>object, object, array</td></tr>
 * </table>
 *
 * <p>Reading is strict so that a typo never becomes data: a field the schema does not have, a
 * missing field without default, a value of the wrong JSON type, an unknown enum symbol or a
 * non-finite number each throw a {@link JsonAvroException} whose message names the path of the
 * value ({@code occupancy[0].daysOfWeek[1]: expected int, got "Mon"}). A missing field with a
 * default takes the default. Other logical types (decimal, uuid, local timestamps) are read and
 * written as their underlying Avro type.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonAvro {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_SHOWN_CHARS = 60;
    private static final String TIMESTAMP_MILLIS = LogicalTypes.timestampMillis().getName();
    private static final String TIMESTAMP_MICROS = LogicalTypes.timestampMicros().getName();
    private static final String DATE = LogicalTypes.date().getName();

    /**
     * Picks the branch of a union with several non-null branches when writing JSON. It knows
     * generic and specific records and the time types, so a datum of either model resolves.
     * Configured once here and never changed afterwards.
     */
    private static final SpecificData UNION_RESOLVER = unionResolver();

    private JsonAvro() {}

    /**
     * A {@link GenericRecord} of {@code schema} from a JSON object; logical types keep their
     * underlying Avro representation (a timestamp is a {@code Long}).
     *
     * @throws JsonAvroException when the JSON does not fit the schema; the message names the path
     */
    public static GenericRecord toRecord(JsonNode json, Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("Expected a record schema, got " + schema.getType());
        }
        return (GenericRecord) toDatum(json, schema, GenericData.get());
    }

    /**
     * An instance of the generated class {@code type} from a JSON object; logical types take
     * the class's own representation (a timestamp is an {@link Instant}).
     *
     * @throws JsonAvroException when the JSON does not fit the schema; the message names the path
     */
    public static <T extends SpecificRecord> T toRecord(JsonNode json, Class<T> type) {
        SpecificData model = SpecificData.getForClass(type);
        return type.cast(toDatum(json, model.getSchema(type), model));
    }

    /**
     * Any Avro datum of {@code schema} from JSON, in the representation {@code model} uses
     * (its logical-type conversions, its record and enum classes).
     *
     * @throws JsonAvroException when the JSON does not fit the schema; the message names the path
     */
    public static Object toDatum(JsonNode json, Schema schema, GenericData model) {
        return read(json, schema, model, "", false);
    }

    /** One JSON object for {@code record}, generic (for example decoded with its writer schema) or specific. */
    public static ObjectNode toJson(GenericRecord record) {
        return (ObjectNode) toJson(record, record.getSchema());
    }

    /**
     * The JSON of {@code datum}, a valid datum of {@code schema} in the generic or the specific
     * representation.
     */
    public static JsonNode toJson(Object datum, Schema schema) {
        if (datum == null) {
            return NODES.nullNode();
        }
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case RECORD: {
                IndexedRecord record = (IndexedRecord) datum;
                ObjectNode out = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    out.set(field.name(), toJson(record.get(field.pos()), field.schema()));
                }
                return out;
            }
            case UNION: {
                List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
                Schema branch = branches.size() == 1 ? branches.get(0) : schema.getTypes().get(UNION_RESOLVER.resolveUnion(schema, datum));
                return toJson(datum, branch);
            }
            case ARRAY: {
                ArrayNode out = NODES.arrayNode();
                for (Object element : (Collection<?>) datum) {
                    out.add(toJson(element, schema.getElementType()));
                }
                return out;
            }
            case MAP: {
                ObjectNode out = NODES.objectNode();
                ((Map<?, ?>) datum).forEach((k, v) -> out.set(k.toString(), toJson(v, schema.getValueType())));
                return out;
            }
            case ENUM:
            case STRING:
                return NODES.textNode(datum.toString());
            case BYTES:
                if (datum instanceof ByteBuffer buffer) {
                    // duplicate(): reading must not move the position of a buffer the record still owns
                    ByteBuffer copy = buffer.duplicate();
                    byte[] bytes = new byte[copy.remaining()];
                    copy.get(bytes);
                    return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
                }
                return NODES.textNode(datum.toString()); // a converted logical type, such as BigDecimal
            case FIXED:
                return datum instanceof GenericFixed fixed
                        ? NODES.textNode(Base64.getEncoder().encodeToString(fixed.bytes()))
                        : NODES.textNode(datum.toString());
            case INT:
                if (logical != null && DATE.equals(logical.getName())) {
                    return NODES.textNode(datum instanceof LocalDate date
                            ? date.toString()
                            : LocalDate.ofEpochDay(((Number) datum).intValue()).toString());
                }
                return datum instanceof Number n ? NODES.numberNode(n.intValue()) : NODES.textNode(datum.toString());
            case LONG:
                if (logical != null && TIMESTAMP_MILLIS.equals(logical.getName())) {
                    return NODES.textNode(datum instanceof Instant instant
                            ? instant.toString()
                            : Instant.ofEpochMilli(((Number) datum).longValue()).toString());
                }
                if (logical != null && TIMESTAMP_MICROS.equals(logical.getName())) {
                    return NODES.textNode(datum instanceof Instant instant
                            ? instant.toString()
                            : Instant.EPOCH.plus(((Number) datum).longValue(), ChronoUnit.MICROS).toString());
                }
                return datum instanceof Number n ? NODES.numberNode(n.longValue()) : NODES.textNode(datum.toString());
            case FLOAT:
                return NODES.numberNode(((Number) datum).floatValue());
            case DOUBLE:
                return NODES.numberNode(((Number) datum).doubleValue());
            case BOOLEAN:
                return NODES.booleanNode((Boolean) datum);
            case NULL:
                return NODES.nullNode();
            default:
                throw new IllegalArgumentException("Unsupported Avro type " + schema.getType());
        }
    }

    private static Object read(JsonNode node, Schema schema, GenericData model, String path, boolean nullable) {
        switch (schema.getType()) {
            case RECORD:
                return readRecord(node, schema, model, path, nullable);
            case UNION:
                return readUnion(node, schema, model, path);
            case ARRAY: {
                if (!node.isArray()) {
                    throw mismatch(path, "an array", node, nullable);
                }
                List<Object> elements = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    elements.add(read(node.get(i), schema.getElementType(), model, path + "[" + i + "]", false));
                }
                return new GenericData.Array<>(schema, elements);
            }
            case MAP: {
                if (!node.isObject()) {
                    throw mismatch(path, "an object", node, nullable);
                }
                Map<String, Object> entries = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    entries.put(entry.getKey(), read(entry.getValue(), schema.getValueType(), model, key(path, entry.getKey()), false));
                }
                return entries;
            }
            case ENUM: {
                if (!node.isTextual()) {
                    throw mismatch(path, "a " + schema.getName() + " symbol", node, nullable);
                }
                if (!schema.hasEnumSymbol(node.textValue())) {
                    throw new JsonAvroException(path, "unknown symbol " + show(node) + " for enum " + schema.getName()
                            + "; expected one of " + String.join(", ", schema.getEnumSymbols()));
                }
                return model.createEnum(node.textValue(), schema);
            }
            case STRING:
                if (!node.isTextual()) {
                    throw mismatch(path, "string", node, nullable);
                }
                return converted(node.textValue(), schema, model, path);
            case BYTES:
                return converted(ByteBuffer.wrap(readBase64(node, path, nullable, "base64 string")), schema, model, path);
            case FIXED: {
                byte[] bytes = readBase64(node, path, nullable, "base64 string of " + schema.getFixedSize() + " bytes");
                if (bytes.length != schema.getFixedSize()) {
                    throw new JsonAvroException(path, "expected " + schema.getFixedSize() + " bytes for " + schema.getName()
                            + ", got " + bytes.length);
                }
                return converted(model.createFixed(null, bytes, schema), schema, model, path);
            }
            case INT:
                return converted(readInt(node, schema, path, nullable), schema, model, path);
            case LONG:
                return converted(readLong(node, schema, path, nullable), schema, model, path);
            case FLOAT: {
                double value = readFiniteNumber(node, "float", path, nullable);
                if (Float.isInfinite((float) value)) {
                    throw new JsonAvroException(path, "expected float, got " + show(node) + " (out of range)");
                }
                return (float) value;
            }
            case DOUBLE:
                return readFiniteNumber(node, "double", path, nullable);
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw mismatch(path, "boolean", node, nullable);
                }
                return node.booleanValue();
            case NULL:
                if (!node.isNull()) {
                    throw mismatch(path, "null", node, false);
                }
                return null;
            default:
                throw new IllegalArgumentException("Unsupported Avro type " + schema.getType());
        }
    }

    private static Object readRecord(JsonNode node, Schema schema, GenericData model, String path, boolean nullable) {
        if (!node.isObject()) {
            throw mismatch(path, "an object (" + schema.getName() + ")", node, nullable);
        }
        // Unknown names first: a misspelt optional field would otherwise pass silently as its default.
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (schema.getField(name) == null) {
                throw new JsonAvroException(key(path, name), "unknown field; " + schema.getName() + " has "
                        + schema.getFields().stream().map(Schema.Field::name).collect(Collectors.joining(", ")));
            }
        }
        Object record = model.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = node.get(field.name());
            Object datum;
            if (value == null) {
                if (!field.hasDefaultValue()) {
                    throw new JsonAvroException(key(path, field.name()), "missing required field (it has no default)");
                }
                datum = model.getDefaultValue(field);
            } else {
                datum = read(value, field.schema(), model, key(path, field.name()), false);
            }
            model.setField(record, field.name(), field.pos(), datum);
        }
        return record;
    }

    private static Object readUnion(JsonNode node, Schema schema, GenericData model, String path) {
        List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        boolean nullable = branches.size() < schema.getTypes().size();
        if (node.isNull() && nullable) {
            return null;
        }
        if (branches.size() == 1) {
            return read(node, branches.get(0), model, path, nullable);
        }
        for (Schema branch : branches) {
            try {
                return read(node, branch, model, path, false);
            } catch (JsonAvroException notThisBranch) {
                // try the next branch; the error below lists them all
            }
        }
        throw mismatch(path, "one of " + branches.stream().map(JsonAvro::describe).collect(Collectors.joining(", ")),
                node, nullable);
    }

    private static int readInt(JsonNode node, Schema schema, String path, boolean nullable) {
        LogicalType logical = schema.getLogicalType();
        if (logical != null && DATE.equals(logical.getName())) {
            if (node.isTextual()) {
                try {
                    return Math.toIntExact(LocalDate.parse(node.textValue()).toEpochDay());
                } catch (DateTimeException | ArithmeticException e) {
                    // fall through to the mismatch below: the reason is the expected format
                }
            }
            throw mismatch(path, "a date YYYY-MM-DD", node, nullable);
        }
        if (isIntegral(node) && node.canConvertToInt()) {
            return node.intValue();
        }
        throw mismatch(path, "int", node, nullable, isIntegral(node) ? " (out of range)" : "");
    }

    private static long readLong(JsonNode node, Schema schema, String path, boolean nullable) {
        LogicalType logical = schema.getLogicalType();
        boolean millis = logical != null && TIMESTAMP_MILLIS.equals(logical.getName());
        boolean micros = logical != null && TIMESTAMP_MICROS.equals(logical.getName());
        if ((millis || micros) && node.isTextual()) {
            try {
                Instant instant = DateTimeFormatter.ISO_INSTANT.parse(node.textValue(), Instant::from);
                return millis ? instant.toEpochMilli() : ChronoUnit.MICROS.between(Instant.EPOCH, instant);
            } catch (DateTimeException | ArithmeticException e) {
                throw mismatch(path, "an ISO-8601 instant such as 2026-11-23T10:00:00Z", node, nullable);
            }
        }
        if (isIntegral(node) && node.canConvertToLong()) {
            return node.longValue();
        }
        String expected = millis ? "epoch milliseconds or an ISO-8601 instant such as 2026-11-23T10:00:00Z"
                : micros ? "epoch microseconds or an ISO-8601 instant such as 2026-11-23T10:00:00Z"
                : "long";
        throw mismatch(path, expected, node, nullable, isIntegral(node) ? " (out of range)" : "");
    }

    private static double readFiniteNumber(JsonNode node, String type, String path, boolean nullable) {
        if (!node.isNumber()) {
            throw mismatch(path, type, node, nullable);
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw mismatch(path, "a finite " + type, node, nullable);
        }
        return value;
    }

    private static byte[] readBase64(JsonNode node, String path, boolean nullable, String expected) {
        if (node.isTextual()) {
            try {
                return Base64.getDecoder().decode(node.textValue());
            } catch (IllegalArgumentException e) {
                throw new JsonAvroException(path, "expected " + expected + ", got " + show(node) + " (" + e.getMessage() + ")");
            }
        }
        throw mismatch(path, expected, node, nullable);
    }

    /** JSON numbers that are whole: {@code 3}, and also {@code 3.0} as people and some tools write it. */
    private static boolean isIntegral(JsonNode node) {
        return node.isIntegralNumber() || (node.isFloatingPointNumber() && node.canConvertToExactIntegral());
    }

    /** The raw value in the representation {@code model} uses for the schema's logical type. */
    private static Object converted(Object raw, Schema schema, GenericData model, String path) {
        LogicalType logical = schema.getLogicalType();
        if (logical == null) {
            return raw;
        }
        Conversion<?> conversion = model.getConversionFor(logical);
        if (conversion == null) {
            return raw;
        }
        try {
            return Conversions.convertToLogicalType(raw, schema, logical, conversion);
        } catch (AvroRuntimeException | IllegalArgumentException | ArithmeticException e) {
            throw new JsonAvroException(path, "cannot convert to " + logical.getName() + ": " + e.getMessage());
        }
    }

    private static String key(String path, String name) {
        if (IDENTIFIER.matcher(name).matches()) {
            return path.isEmpty() ? name : path + "." + name;
        }
        return path + "[" + TextNode.valueOf(name) + "]";
    }

    private static JsonAvroException mismatch(String path, String expected, JsonNode node, boolean nullable) {
        return mismatch(path, expected, node, nullable, "");
    }

    private static JsonAvroException mismatch(String path, String expected, JsonNode node, boolean nullable, String note) {
        return new JsonAvroException(path, "expected " + expected + (nullable ? " or null" : "") + ", got " + show(node) + note);
    }

    /** The JSON a person wrote, short enough for one line of error output. */
    private static String show(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        // NaN and infinities print bare, as written, not quoted as Jackson renders them
        String text = node.isNumber() && !Double.isFinite(node.doubleValue()) ? node.asText() : node.toString();
        return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "...";
    }

    private static String describe(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> schema.getName();
            default -> schema.getLogicalType() != null ? schema.getLogicalType().getName() : schema.getType().getName();
        };
    }

    private static SpecificData unionResolver() {
        SpecificData model = new SpecificData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        model.addLogicalTypeConversion(new TimeConversions.DateConversion());
        return model;
    }
}
