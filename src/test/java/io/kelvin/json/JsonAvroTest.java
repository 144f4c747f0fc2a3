package io.kelvin.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.Metric;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import io.kelvin.schema.TrainingDecision;
import io.kelvin.schema.TrainingReport;
import io.kelvin.serde.AvroSerde;
import io.kelvin.serde.KelvinSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonAvroTest {

    // NaN is let through the parser, as kelvin produce does, so JsonAvro gets to reject it.
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private static final String READING =
            "{\"buildingId\":\"b1\",\"deviceId\":\"gw-7\",\"metric\":\"ZONE_TEMPERATURE_C\",\"value\":21.4,"
            + "\"observedAt\":\"2026-11-23T10:00:00.250Z\",\"zoneId\":\"z1\"}";
    private static final String PROFILE =
            "{\"buildingId\":\"b1\",\"name\":\"Head office\",\"timeZone\":\"Europe/Berlin\",\"floorAreaM2\":1200.0,"
            + "\"minSetpointC\":18.0,\"maxSetpointC\":26.0,\"maxChangePerStepK\":0.3,\"comfortMinC\":20.0,\"comfortMaxC\":24.0,"
            + "\"occupiedSetpointC\":21.0,\"unoccupiedSetpointC\":18.0,\"bmsDeadbandHalfWidthK\":0.5,"
            + "\"designVentilationLps\":1680.0,\"minVentilationLps\":600.0,\"co2LimitPpm\":1000.0,\"occupancy\":["
            + "{\"daysOfWeek\":[1,2,3,4,5],\"startMinuteOfDay\":420,\"endMinuteOfDay\":1140},"
            + "{\"daysOfWeek\":[6],\"startMinuteOfDay\":480,\"endMinuteOfDay\":720}]}";

    private String scope;
    private KelvinSerdes serdes;

    @BeforeEach
    void setUp() {
        scope = "json-avro-" + UUID.randomUUID();
        serdes = new KelvinSerdes(MockSchemaRegistry.forScope(scope));
    }

    @AfterEach
    void tearDown() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldRoundTripSensorReading() {
        SensorReading reading = assertRoundTrip(SensorReading.class, serdes.reading(), READING);

        assertThat(reading.getMetric()).isEqualTo(Metric.ZONE_TEMPERATURE_C);
        assertThat(reading.getObservedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00.250Z"));
        assertThat(reading.getZoneId()).isEqualTo("z1");
    }

    @Test
    void shouldRoundTripBuildingProfileWithOccupancy() {
        BuildingProfile profile = assertRoundTrip(BuildingProfile.class, serdes.profile(), PROFILE);

        assertThat(profile.getOccupancy()).hasSize(2);
        assertThat(profile.getOccupancy().get(0).getDaysOfWeek()).containsExactly(1, 2, 3, 4, 5);
        assertThat(profile.getOccupancy().get(1).getEndMinuteOfDay()).isEqualTo(720);
        assertThat(profile.getMinVentilationLps()).isEqualTo(600.0);
    }

    @Test
    void shouldRoundTripSetpointCommand() {
        SetpointCommand command = assertRoundTrip(SetpointCommand.class, serdes.setpoint(),
                "{\"decisionId\":\"b1@2026-11-23T10:10:00Z\",\"buildingId\":\"b1\",\"setpointC\":21.5,"
                + "\"windowStart\":\"2026-11-23T10:00:00Z\",\"windowEnd\":\"2026-11-23T10:10:00Z\",\"validUntil\":\"2026-11-23T10:35:00Z\","
                + "\"source\":\"MODEL\",\"reason\":\"\",\"modelVersion\":\"v3\",\"previousSetpointC\":21.0,"
                + "\"predictedEnergyKwh\":1.25,\"predictedIndoorC\":21.4,\"occupied\":true,\"ventilationLps\":1140.0}");

        assertThat(command.getSource()).isEqualTo(SetpointSource.MODEL);
        assertThat(command.getVentilationLps()).isEqualTo(1140.0);
        assertThat(command.getValidUntil()).isEqualTo(Instant.parse("2026-11-23T10:35:00Z"));
    }

    @Test
    void shouldRoundTripFeedbackWithItsFeaturesMap() {
        Feedback feedback = assertRoundTrip(Feedback.class, serdes.feedback(),
                "{\"decisionId\":\"b1@2026-11-23T10:10:00Z\",\"buildingId\":\"b1\",\"decidedAt\":\"2026-11-23T10:10:00Z\","
                + "\"observedWindowStart\":\"2026-11-23T10:10:00Z\",\"observedWindowEnd\":\"2026-11-23T10:20:00Z\","
                + "\"setpointC\":21.5,\"source\":\"FALLBACK\",\"modelVersion\":null,"
                + "\"features\":{\"outdoorC\":4.5,\"hourOfDay\":10.0,\"zone temp\":21.2},"
                + "\"predictedEnergyKwh\":null,\"predictedIndoorC\":null,\"observedEnergyKwh\":1.3,"
                + "\"observedIndoorC\":21.3,\"observedOutdoorC\":4.6,\"occupied\":true}");

        assertThat(feedback.getFeatures()).containsExactlyInAnyOrderEntriesOf(
                Map.of("outdoorC", 4.5, "hourOfDay", 10.0, "zone temp", 21.2));
        assertThat(feedback.getModelVersion()).isNull();
    }

    @Test
    void shouldRoundTripModelReleaseWithBytesAsBase64() {
        byte[] onnx = "\u0008\u0001kelvin-onnx".getBytes(StandardCharsets.ISO_8859_1);
        String base64 = java.util.Base64.getEncoder().encodeToString(onnx);

        ModelRelease release = assertRoundTrip(ModelRelease.class, serdes.modelRelease(),
                "{\"modelKey\":\"__global__\",\"version\":\"2026-11-23T02:00Z-3f2a\",\"createdAt\":\"2026-11-23T02:00:00Z\","
                + "\"onnx\":\"" + base64 + "\",\"uri\":null,\"sha256\":\"9f86d081884c7d65\","
                + "\"featureNames\":[\"outdoorC\",\"hourOfDay\"],\"producer\":\"external\",\"trainingRows\":4032,"
                + "\"holdoutMaeEnergyKwh\":0.12,\"holdoutMaeIndoorC\":0.3}");

        assertThat(release.getOnnx()).isEqualTo(ByteBuffer.wrap(onnx));
        assertThat(release.getTrainingRows()).isEqualTo(4032L);
    }

    @Test
    void shouldRoundTripTrainingReportWithADate() {
        TrainingReport report = assertRoundTrip(TrainingReport.class, serdes.trainingReport(),
                "{\"modelKey\":\"b1\",\"trainingDay\":\"2026-11-22\",\"startedAt\":\"2026-11-23T02:00:00Z\",\"durationMs\":1834,"
                + "\"trainingRows\":4032,\"holdoutRows\":144,\"championVersion\":\"v2\",\"challengerVersion\":\"v3\","
                + "\"championMaeEnergyKwh\":0.2,\"challengerMaeEnergyKwh\":0.15,\"championMaeIndoorC\":0.4,"
                + "\"challengerMaeIndoorC\":0.35,\"decision\":\"PROMOTED\",\"reason\":\"challenger better by 25%\"}");

        assertThat(report.getTrainingDay()).isEqualTo(LocalDate.of(2026, 11, 22));
        assertThat(report.getDecision()).isEqualTo(TrainingDecision.PROMOTED);
    }

    @Test
    void shouldKeepLogicalTypesRawInGenericRecords() {
        GenericRecord reading = JsonAvro.toRecord(json(READING), SensorReading.getClassSchema());

        assertThat(reading.get("observedAt")).isEqualTo(Instant.parse("2026-11-23T10:00:00.250Z").toEpochMilli());
        assertThat(reading.get("metric").toString()).isEqualTo("ZONE_TEMPERATURE_C");
    }

    @Test
    void shouldAcceptEpochMillisAndIsoInstantsWithOffsets() {
        long epochMillis = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
        SensorReading fromEpoch = JsonAvro.toRecord(json(READING.replace("\"2026-11-23T10:00:00.250Z\"", String.valueOf(epochMillis))),
                SensorReading.class);
        SensorReading fromOffset = JsonAvro.toRecord(json(READING.replace("2026-11-23T10:00:00.250Z", "2026-11-23T11:00:00+01:00")),
                SensorReading.class);

        assertThat(fromEpoch.getObservedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(fromOffset.getObservedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(JsonAvro.toJson(fromEpoch).get("observedAt").textValue()).isEqualTo("2026-11-23T10:00:00Z");
    }

    @Test
    void shouldApplyDefaultsToMissingFields() {
        BuildingProfile profile = JsonAvro.toRecord(json(
                "{\"buildingId\":\"b2\",\"floorAreaM2\":800,\"minSetpointC\":18,\"maxSetpointC\":26,\"comfortMinC\":20,"
                + "\"comfortMaxC\":24,\"occupiedSetpointC\":21,\"unoccupiedSetpointC\":18}"), BuildingProfile.class);
        SensorReading reading = JsonAvro.toRecord(json(READING.replace(",\"zoneId\":\"z1\"", "")), SensorReading.class);

        assertThat(profile.getName()).isEmpty();
        assertThat(profile.getTimeZone()).isEqualTo("UTC");
        assertThat(profile.getMaxChangePerStepK()).isEqualTo(0.5);
        assertThat(profile.getBmsDeadbandHalfWidthK()).isZero();
        assertThat(profile.getOccupancy()).isEmpty();
        assertThat(profile.getFloorAreaM2()).isEqualTo(800.0); // an integer is a fine double
        assertThat(reading.getZoneId()).isNull();
    }

    @Test
    void shouldWriteOneCompactObjectForARecordDecodedWithItsWriterSchema() {
        SensorReading reading = JsonAvro.toRecord(json(READING), SensorReading.class);
        byte[] wire = serdes.reading().serializer().serialize("kelvin.readings", reading);

        GenericRecord decoded = serdes.generic().deserializer().deserialize("kelvin.readings", wire);

        assertThat(JsonAvro.toJson(decoded).toString()).isEqualTo(READING);
    }

    @Test
    void shouldNameThePathOfAWrongType() {
        String profile = PROFILE.replace("[6]", "[6,\"Mon\"]");

        assertThatThrownBy(() -> JsonAvro.toRecord(json(profile), BuildingProfile.class))
                .isInstanceOf(JsonAvroException.class)
                .hasMessage("occupancy[1].daysOfWeek[1]: expected int, got \"Mon\"")
                .satisfies(e -> assertThat(((JsonAvroException) e).path()).isEqualTo("occupancy[1].daysOfWeek[1]"));
        assertError(SensorReading.class, READING.replace("\"gw-7\"", "7"), "deviceId: expected string, got 7");
        assertError(SensorReading.class, READING.replace("\"z1\"", "5"), "zoneId: expected string or null, got 5");
        assertError(SensorReading.class, READING.replace("21.4", "null"), "value: expected double, got null");
        assertError(SensorReading.class, READING.replace("21.4", "\"21.4\""), "value: expected double, got \"21.4\"");
        assertError(BuildingProfile.class, PROFILE.replace("420", "420.5"), "occupancy[0].startMinuteOfDay: expected int, got 420.5");
        assertError(BuildingProfile.class, PROFILE.replace("420", "3000000000"),
                "occupancy[0].startMinuteOfDay: expected int, got 3000000000 (out of range)");
        assertError(BuildingProfile.class, PROFILE.replace("\"occupancy\":[", "\"occupancy\":{\"x\":[").replace("]}", "]}}"),
                "occupancy: expected an array, got an object");
        assertError(SensorReading.class, "[" + READING + "]", "expected an object (SensorReading), got an array");
    }

    @Test
    void shouldAcceptAWholeFloatingPointNumberForAnInt() {
        BuildingProfile profile = JsonAvro.toRecord(json(PROFILE.replace("420", "420.0")), BuildingProfile.class);

        assertThat(profile.getOccupancy().get(0).getStartMinuteOfDay()).isEqualTo(420);
    }

    @Test
    void shouldRejectUnknownFieldsWithTheirPath() {
        assertError(SensorReading.class, READING.replace("\"zoneId\"", "\"zone\""),
                "zone: unknown field; SensorReading has buildingId, deviceId, metric, value, observedAt, zoneId");
        assertError(BuildingProfile.class, PROFILE.replace("\"startMinuteOfDay\":480", "\"start\":480"),
                "occupancy[1].start: unknown field; OccupancyPeriod has daysOfWeek, startMinuteOfDay, endMinuteOfDay");
    }

    @Test
    void shouldRejectAMissingFieldWithoutDefault() {
        assertError(SensorReading.class, READING.replace("\"deviceId\":\"gw-7\",", ""),
                "deviceId: missing required field (it has no default)");
    }

    @Test
    void shouldRejectNonFiniteNumbers() {
        assertError(SensorReading.class, READING.replace("21.4", "NaN"), "value: expected a finite double, got NaN");
        assertError(SensorReading.class, READING.replace("21.4", "1e400"), "value: expected a finite double, got Infinity");
        assertError(SetpointCommand.class,
                "{\"decisionId\":\"d\",\"buildingId\":\"b1\",\"setpointC\":21.5,\"windowStart\":0,\"windowEnd\":0,\"validUntil\":0,"
                + "\"source\":\"MODEL\",\"predictedEnergyKwh\":-Infinity}",
                "predictedEnergyKwh: expected a finite double or null, got -Infinity");
    }

    @Test
    void shouldNameMapKeysInThePath() {
        String feedback = "{\"decisionId\":\"d\",\"buildingId\":\"b1\",\"decidedAt\":0,\"observedWindowStart\":0,\"observedWindowEnd\":0,"
                + "\"setpointC\":21.5,\"source\":\"MODEL\",\"observedEnergyKwh\":1.0,\"features\":%s}";

        assertError(Feedback.class, feedback.formatted("{\"outdoorC\":NaN}"), "features.outdoorC: expected a finite double, got NaN");
        assertError(Feedback.class, feedback.formatted("{\"zone temp\":\"warm\"}"), "features[\"zone temp\"]: expected double, got \"warm\"");
    }

    @Test
    void shouldRejectUnknownEnumSymbols() {
        assertError(SensorReading.class, READING.replace("ZONE_TEMPERATURE_C", "ZONE_TEMP"),
                "metric: unknown symbol \"ZONE_TEMP\" for enum Metric; expected one of UNKNOWN, ZONE_TEMPERATURE_C, "
                + "OUTDOOR_TEMPERATURE_C, SUPPLY_AIR_TEMPERATURE_C, RELATIVE_HUMIDITY_PCT, CO2_PPM, OCCUPANCY_COUNT, "
                + "HVAC_POWER_KW, SETPOINT_C");
        assertError(SensorReading.class, READING.replace("\"ZONE_TEMPERATURE_C\"", "1"), "metric: expected a Metric symbol, got 1");
    }

    @Test
    void shouldRejectMalformedTimestampsDatesAndBase64() {
        assertError(SensorReading.class, READING.replace("\"2026-11-23T10:00:00.250Z\"", "\"yesterday\""),
                "observedAt: expected an ISO-8601 instant such as 2026-11-23T10:00:00Z, got \"yesterday\"");
        assertError(SensorReading.class, READING.replace("\"2026-11-23T10:00:00.250Z\"", "true"),
                "observedAt: expected epoch milliseconds or an ISO-8601 instant such as 2026-11-23T10:00:00Z, got true");
        assertError(TrainingReport.class, "{\"modelKey\":\"b1\",\"trainingDay\":\"22.11.2026\",\"startedAt\":0,\"durationMs\":1,"
                + "\"trainingRows\":1,\"holdoutRows\":1}", "trainingDay: expected a date YYYY-MM-DD, got \"22.11.2026\"");
        assertThatThrownBy(() -> JsonAvro.toRecord(json("{\"modelKey\":\"b1\",\"version\":\"v1\",\"createdAt\":0,\"onnx\":\"not base64!\","
                + "\"sha256\":\"x\",\"featureNames\":[]}"), ModelRelease.class))
                .hasMessageStartingWith("onnx: expected base64 string, got \"not base64!\" (Illegal base64 character");
    }

    @Test
    void shouldPickTheFirstFittingBranchOfAWiderUnion() {
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Probe\",\"fields\":["
                + "{\"name\":\"v\",\"type\":[\"null\",\"long\",\"string\"]}]}");

        GenericRecord number = JsonAvro.toRecord(json("{\"v\":5}"), schema);
        GenericRecord text = JsonAvro.toRecord(json("{\"v\":\"five\"}"), schema);

        assertThat(number.get("v")).isEqualTo(5L);
        assertThat(JsonAvro.toJson(text).toString()).isEqualTo("{\"v\":\"five\"}");
        assertThatThrownBy(() -> JsonAvro.toRecord(json("{\"v\":true}"), schema))
                .hasMessage("v: expected one of long, string or null, got true");
    }

    /**
     * JSON → specific record → JSON gives the same text, so does JSON → generic record → JSON, and
     * so does the wire format decoded with the writer schema (what kelvin tail prints).
     */
    private <T extends SpecificRecord & GenericRecord> T assertRoundTrip(Class<T> type, AvroSerde<T> serde, String text) {
        T record = JsonAvro.toRecord(json(text), type);
        assertThat(json(JsonAvro.toJson(record).toString())).isEqualTo(json(text));

        GenericRecord generic = JsonAvro.toRecord(json(text), record.getSchema());
        assertThat(json(JsonAvro.toJson(generic).toString())).isEqualTo(json(text));

        byte[] wire = serde.serializer().serialize("topic", record);
        assertThat(serde.deserializer().deserialize("topic", wire)).isEqualTo(record);
        // re-parsed: a decoded map does not keep the order its entries were written in
        assertThat(json(JsonAvro.toJson(serdes.generic().deserializer().deserialize("topic", wire)).toString())).isEqualTo(json(text));
        return record;
    }

    private static void assertError(Class<? extends SpecificRecord> type, String text, String message) {
        assertThatThrownBy(() -> JsonAvro.toRecord(json(text), type))
                .isInstanceOf(JsonAvroException.class)
                .hasMessage(message);
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
