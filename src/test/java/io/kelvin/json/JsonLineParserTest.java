package io.kelvin.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.config.KelvinConfig;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.SensorReading;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonLineParserTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String READING = "{\"buildingId\":\"b1\",\"deviceId\":\"gw-7\",\"metric\":\"ZONE_TEMPERATURE_C\","
            + "\"value\":21.4,\"observedAt\":\"2026-11-23T10:00:00Z\"}";
    private static final String PROFILE = "{\"buildingId\":\"b2\",\"floorAreaM2\":800,\"minSetpointC\":18,\"maxSetpointC\":26,"
            + "\"comfortMinC\":20,\"comfortMaxC\":24,\"occupiedSetpointC\":21,\"unoccupiedSetpointC\":18}";

    private String scope;
    private TopicCatalogue catalogue;

    @BeforeEach
    void setUp() {
        scope = "line-parser-" + UUID.randomUUID();
        catalogue = catalogue(Map.of());
    }

    @AfterEach
    void tearDown() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldKeyReadingsByBuildingAndTimestampThemWithObservedAt() {
        ProducerRecord<String, ?> record = valid(JsonLineParser.forTopic(catalogue, "readings", null, CLOCK), READING);

        assertThat(record.topic()).isEqualTo("kelvin.readings");
        assertThat(record.key()).isEqualTo("b1");
        assertThat(record.timestamp()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z").toEpochMilli());
        assertThat(record.value()).isInstanceOf(SensorReading.class);
        assertThat(record.partition()).isNull();
    }

    @Test
    void shouldTimestampOtherRecordsWithTheClock() {
        ProducerRecord<String, ?> record = valid(JsonLineParser.forTopic(catalogue, "kelvin.buildings", null, CLOCK), PROFILE);

        assertThat(record.key()).isEqualTo("b2");
        assertThat(record.timestamp()).isEqualTo(NOW.toEpochMilli());
        assertThat(((BuildingProfile) record.value()).getTimeZone()).isEqualTo("UTC");
    }

    @Test
    void shouldKeyModelReleasesAndTrainingReportsByModelKey() {
        ProducerRecord<String, ?> release = valid(JsonLineParser.forTopic(catalogue, "models", null, CLOCK),
                "{\"modelKey\":\"__global__\",\"version\":\"v1\",\"createdAt\":\"2026-11-23T02:00:00Z\",\"uri\":\"s3://m/v1.onnx\","
                + "\"sha256\":\"ab\",\"featureNames\":[\"outdoorC\"]}");
        ProducerRecord<String, ?> report = valid(JsonLineParser.forTopic(catalogue, "training-reports", null, CLOCK),
                "{\"modelKey\":\"b1\",\"trainingDay\":\"2026-11-22\",\"startedAt\":0,\"durationMs\":1,\"trainingRows\":0,\"holdoutRows\":0,"
                + "\"decision\":\"INSUFFICIENT_DATA\"}");

        assertThat(release.key()).isEqualTo("__global__");
        assertThat(((ModelRelease) release.value()).getOnnx()).isNull();
        assertThat(report.topic()).isEqualTo("kelvin.training-reports");
        assertThat(report.key()).isEqualTo("b1");
    }

    @Test
    void shouldUseTheChosenKeyField() {
        JsonLineParser<?> parser = JsonLineParser.forTopic(catalogue, "readings", "deviceId", CLOCK);

        assertThat(parser.keyField()).isEqualTo("deviceId");
        assertThat(valid(parser, READING).key()).isEqualTo("gw-7");
        assertThat(valid(JsonLineParser.forTopic(catalogue, "readings", "metric", CLOCK), READING).key()).isEqualTo("ZONE_TEMPERATURE_C");
    }

    @Test
    void shouldRejectAKeyFieldTheRecordDoesNotHaveOrCannotBeAKey() {
        assertThatThrownBy(() -> JsonLineParser.forTopic(catalogue, "readings", "building", CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--key-field building: SensorReading has no such field; its fields are "
                        + "buildingId, deviceId, metric, value, observedAt, zoneId");
        assertThatThrownBy(() -> JsonLineParser.forTopic(catalogue, "buildings", "occupancy", CLOCK))
                .hasMessage("--key-field occupancy: a key must be a string, number, boolean or enum field, occupancy is array");
    }

    @Test
    void shouldRejectALineWhoseKeyFieldIsNull() {
        JsonLineParser<?> parser = JsonLineParser.forTopic(catalogue, "readings", "zoneId", CLOCK);

        assertThat(parser.parse(4, READING)).isEqualTo(new ParsedLine.Invalid<>(4, "zoneId: is null, but it is the record key"));
    }

    @Test
    void shouldSkipBlankLinesAndComments() {
        JsonLineParser<?> parser = JsonLineParser.forTopic(catalogue, "readings", null, CLOCK);

        assertThat(parser.parse(1, "")).isInstanceOf(ParsedLine.Skipped.class);
        assertThat(parser.parse(2, "   \t")).isInstanceOf(ParsedLine.Skipped.class);
        assertThat(parser.parse(3, "# building b1, morning")).isInstanceOf(ParsedLine.Skipped.class);
        assertThat(parser.parse(4, "  # indented comment")).isInstanceOf(ParsedLine.Skipped.class);
    }

    @Test
    void shouldReportABadLineWithItsNumberAndThePathOfTheValue() {
        JsonLineParser<?> parser = JsonLineParser.forTopic(catalogue, "readings", null, CLOCK);

        ParsedLine<?> parsed = parser.parse(7, READING.replace("21.4", "\"warm\""));

        assertThat(parsed).isInstanceOf(ParsedLine.Invalid.class);
        assertThat(((ParsedLine.Invalid<?>) parsed).message()).isEqualTo("line 7: value: expected double, got \"warm\"");
    }

    @Test
    void shouldReportJsonThatDoesNotParse() {
        JsonLineParser<?> parser = JsonLineParser.forTopic(catalogue, "readings", null, CLOCK);

        assertThat(invalid(parser, "{\"buildingId\":\"b1\",}")).startsWith("line 1: not valid JSON at column 20: ");
        assertThat(invalid(parser, READING + " " + READING)).startsWith("line 1: not valid JSON");
        assertThat(invalid(parser, READING.replace("\"deviceId\":\"gw-7\"", "\"value\":1.0"))).contains("Duplicate field 'value'");
        assertThat(invalid(parser, "[]")).isEqualTo("line 1: expected an object (SensorReading), got an array");
    }

    @Test
    void shouldIgnoreAByteOrderMarkOnTheFirstLine() {
        JsonLineParser<?> parser = JsonLineParser.forTopic(catalogue, "readings", null, CLOCK);

        assertThat(parser.parse(1, "\uFEFF" + READING)).isInstanceOf(ParsedLine.Valid.class);
    }

    @Test
    void shouldResolveConfiguredAndShortTopicNames() {
        TopicCatalogue renamed = catalogue(Map.of(KelvinConfig.READINGS_TOPIC_CONFIG, "site-a.readings"));

        assertThat(TopicNames.resolve(renamed, "site-a.readings")).isSameAs(renamed.readings());
        assertThat(TopicNames.resolve(renamed, "readings")).isSameAs(renamed.readings());
        assertThat(TopicNames.resolve(renamed, "dead-letters")).isSameAs(renamed.deadLetters());
        assertThat(TopicNames.shortName(renamed, renamed.trainingReports())).isEqualTo("training-reports");
        assertThatThrownBy(() -> TopicNames.resolve(renamed, "kelvin.readings"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown topic 'kelvin.readings'; Kelvin's topics are site-a.readings (readings), "
                        + "kelvin.buildings (buildings), ");
    }

    @Test
    void shouldRefuseToProduceToTheDeadLetterTopic() {
        assertThatThrownBy(() -> JsonLineParser.forTopic(catalogue, "dead-letters", null, CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kelvin.dead-letters holds the raw bytes of records Kelvin could not process;")
                .hasMessageNotContaining("(dead-letters)");
    }

    private TopicCatalogue catalogue(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope);
        return new TopicCatalogue(KelvinConfig.of(all), new KelvinSerdes(MockSchemaRegistry.forScope(scope)));
    }

    private static ProducerRecord<String, ?> valid(JsonLineParser<?> parser, String line) {
        ParsedLine<?> parsed = parser.parse(1, line);
        assertThat(parsed).isInstanceOf(ParsedLine.Valid.class);
        return ((ParsedLine.Valid<?>) parsed).record();
    }

    private static String invalid(JsonLineParser<?> parser, String line) {
        ParsedLine<?> parsed = parser.parse(1, line);
        assertThat(parsed).isInstanceOf(ParsedLine.Invalid.class);
        return ((ParsedLine.Invalid<?>) parsed).message();
    }
}
