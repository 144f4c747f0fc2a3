package io.kelvin.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.registry.SchemaRegistryException;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.DecisionState;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.Metric;
import io.kelvin.schema.MetricStats;
import io.kelvin.schema.ModelRelease;
import io.kelvin.schema.OccupancyPeriod;
import io.kelvin.schema.PowerSample;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import io.kelvin.schema.TrainingDecision;
import io.kelvin.schema.TrainingReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

    private static final String READINGS = "kelvin.readings";
    private static final Instant OBSERVED_AT = Instant.parse("2026-01-14T08:42:17.123Z");

    private String scope;
    private MockSchemaRegistry registry;
    private KelvinSerdes serdes;

    @BeforeEach
    void openScope(TestInfo test) {
        scope = "avro-serde-test-" + test.getTestMethod().orElseThrow().getName();
        registry = MockSchemaRegistry.forScope(scope);
        serdes = new KelvinSerdes(registry);
    }

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    // --- round trips ---

    /** One Kelvin type, a realistic value of it, and the topic it travels on. */
    record Case<T extends GenericRecord>(String topic, Function<KelvinSerdes, AvroSerde<T>> serde, T value) {
        @Override
        public String toString() {
            return value.getSchema().getName() + " on " + topic;
        }
    }

    static Stream<Case<?>> everyKelvinType() {
        return Stream.of(
                new Case<>(READINGS, KelvinSerdes::reading, zoneReading()),
                new Case<>(READINGS, KelvinSerdes::reading, SensorReading.newBuilder()
                        .setBuildingId("bldg-berlin-017").setDeviceId("weather-station-1")
                        .setMetric(Metric.OUTDOOR_TEMPERATURE_C).setValue(-3.5)
                        .setObservedAt(OBSERVED_AT).setZoneId(null).build()),
                new Case<>("kelvin.buildings", KelvinSerdes::profile, BuildingProfile.newBuilder()
                        .setBuildingId("bldg-berlin-017").setName("Berlin Mitte office, Block C")
                        .setTimeZone("Europe/Berlin").setFloorAreaM2(12_450.0)
                        .setMinSetpointC(18.0).setMaxSetpointC(25.0).setMaxChangePerStepK(0.3)
                        .setComfortMinC(20.5).setComfortMaxC(23.5)
                        .setOccupiedSetpointC(21.5).setUnoccupiedSetpointC(17.0)
                        .setOccupancy(List.of(
                                OccupancyPeriod.newBuilder().setDaysOfWeek(List.of(1, 2, 3, 4, 5))
                                        .setStartMinuteOfDay(7 * 60).setEndMinuteOfDay(19 * 60).build(),
                                OccupancyPeriod.newBuilder().setDaysOfWeek(List.of(6))
                                        .setStartMinuteOfDay(9 * 60).setEndMinuteOfDay(13 * 60).build()))
                        .build()),
                new Case<>("kelvin-optimizer-kelvin-windows-changelog", KelvinSerdes::window, BuildingWindow.newBuilder()
                        .setBuildingId("bldg-berlin-017").setReadings(26)
                        .setMetrics(Map.of(
                                "ZONE_TEMPERATURE_C", MetricStats.newBuilder().setCount(12).setSum(258.6)
                                        .setMin(21.1).setMax(21.9).setLast(21.6)
                                        .setLastObservedAt(Instant.parse("2026-01-14T08:49:58.004Z")).build(),
                                "HVAC_POWER_KW", MetricStats.newBuilder().setCount(14).setSum(599.2)
                                        .setMin(38.0).setMax(47.3).setLast(41.2)
                                        .setLastObservedAt(Instant.parse("2026-01-14T08:49:30Z")).build()))
                        .setPowerSamples(List.of(
                                PowerSample.newBuilder().setObservedAt(Instant.parse("2026-01-14T08:40:30Z")).setKw(38.0).build(),
                                PowerSample.newBuilder().setObservedAt(Instant.parse("2026-01-14T08:49:30Z")).setKw(41.2).build()))
                        .build()),
                new Case<>("kelvin.setpoints", KelvinSerdes::setpoint, modelCommand()),
                new Case<>("kelvin.setpoints", KelvinSerdes::setpoint, SetpointCommand.newBuilder(modelCommand())
                        .setSource(SetpointSource.FALLBACK).setReason("too-few-readings").setModelVersion(null)
                        .setPredictedEnergyKwh(null).setPredictedIndoorC(null).setPreviousSetpointC(null).build()),
                new Case<>("kelvin.feedback", KelvinSerdes::feedback, Feedback.newBuilder()
                        .setDecisionId("bldg-berlin-017@2026-01-14T08:50:00Z").setBuildingId("bldg-berlin-017")
                        .setDecidedAt(Instant.parse("2026-01-14T08:50:00Z"))
                        .setObservedWindowStart(Instant.parse("2026-01-14T08:50:00Z"))
                        .setObservedWindowEnd(Instant.parse("2026-01-14T09:00:00Z"))
                        .setSetpointC(21.8).setSource(SetpointSource.MODEL).setModelVersion("2026-01-14T02:00Z-3f2a")
                        .setFeatures(Map.of("outdoor_c", -3.5, "zone_mean_c", 21.55, "setpoint_c", 21.8, "hour_sin", 0.5))
                        .setPredictedEnergyKwh(6.9).setPredictedIndoorC(21.7)
                        .setObservedEnergyKwh(7.12).setObservedIndoorC(21.64).setObservedOutdoorC(-3.1)
                        .setOccupied(true).build()),
                new Case<>("kelvin.models", KelvinSerdes::modelRelease, ModelRelease.newBuilder()
                        .setModelKey("__global__").setVersion("2026-01-14T02:00Z-3f2a")
                        .setCreatedAt(Instant.parse("2026-01-14T02:03:41.250Z"))
                        .setOnnx(ByteBuffer.wrap(new byte[] {0x08, 0x09, 0x12, 0x07, 'k', 'e', 'l', 'v', 'i', 'n', 0x00, (byte) 0xff}))
                        .setUri(null)
                        .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                        .setFeatureNames(List.of("outdoor_c", "zone_mean_c", "setpoint_c", "hour_sin", "hour_cos"))
                        .setProducer("kelvin-trainer").setTrainingRows(40_320)
                        .setHoldoutMaeEnergyKwh(0.41).setHoldoutMaeIndoorC(0.18).build()),
                new Case<>("kelvin.training-reports", KelvinSerdes::trainingReport, TrainingReport.newBuilder()
                        .setModelKey("bldg-berlin-017").setTrainingDay(LocalDate.of(2026, 1, 14))
                        .setStartedAt(Instant.parse("2026-01-14T01:00:00Z")).setDurationMs(8_412)
                        .setTrainingRows(3_888).setHoldoutRows(144)
                        .setChampionVersion("2026-01-13T02:00Z-77b1").setChallengerVersion("2026-01-14T02:00Z-3f2a")
                        .setChampionMaeEnergyKwh(0.52).setChallengerMaeEnergyKwh(0.41)
                        .setChampionMaeIndoorC(0.21).setChallengerMaeIndoorC(0.18)
                        .setDecision(TrainingDecision.PROMOTED).setReason("challenger energy MAE 21% lower").build()),
                new Case<>("kelvin-optimizer-kelvin-decisions-changelog", KelvinSerdes::decision, DecisionState.newBuilder()
                        .setCommand(modelCommand())
                        .setFeatures(Map.of("outdoor_c", -3.5, "zone_mean_c", 21.55, "setpoint_c", 21.8))
                        .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKelvinType")
    void shouldRoundTripEveryKelvinType(Case<?> example) {
        assertRoundTrip(example);
    }

    private <T extends GenericRecord> void assertRoundTrip(Case<T> example) {
        AvroSerde<T> serde = example.serde().apply(serdes);

        byte[] bytes = serde.serializer().serialize(example.topic(), example.value());
        T back = serde.deserializer().deserialize(example.topic(), bytes);

        assertThat(back).isInstanceOf(example.value().getClass()).isEqualTo(example.value());
        assertThat(registry.schemaIdsOf(example.topic() + "-value")).containsExactly(AvroSerde.schemaIdOf(bytes));
    }

    // --- wire format ---

    @Test
    void shouldWriteMagicByteThenBigEndianIdOfTheTopicValueSubjectThenAvroBinary() throws IOException {
        for (int i = 0; i < 257; i++) {
            // Fillers push the id past one byte, so the byte order shows.
            registry.register("filler-value", SchemaBuilder.record("Filler" + i).fields().endRecord());
        }
        SensorReading reading = zoneReading();

        byte[] bytes = serdes.reading().serializer().serialize(READINGS, reading);

        assertThat(registry.schemaIdsOf("kelvin.readings-value")).containsExactly(258);
        assertThat(registry.getById(258)).isEqualTo(SensorReading.getClassSchema());
        assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0, 0, 0, 1, 2);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(reading));
        assertThat(AvroSerde.schemaIdOf(bytes)).isEqualTo(258);
    }

    @Test
    void shouldAskTheRegistryOncePerSchemaNotPerRecord() {
        CountingRegistry counting = new CountingRegistry(registry);
        AvroSerde<SensorReading> writer = AvroSerde.specific(counting, SensorReading.class);
        AvroSerde<SensorReading> reader = AvroSerde.specific(counting, SensorReading.class);

        for (int i = 0; i < 100; i++) {
            SensorReading reading = SensorReading.newBuilder(zoneReading()).setValue(20.0 + i / 100.0).build();
            byte[] bytes = writer.serializer().serialize(READINGS, reading);
            assertThat(reader.deserializer().deserialize(READINGS, bytes)).isEqualTo(reading);
        }

        assertThat(counting.registrations.get()).isEqualTo(1);
        assertThat(counting.lookups.get()).isEqualTo(1);
    }

    @Test
    void shouldWriteEachRecordWholeAfterARecordThatFailedHalfWritten() throws IOException {
        // The encoder and buffer are reused per thread: a record that fails mid-way must leave nothing behind.
        SensorReading broken = SensorReading.newBuilder(zoneReading()).build();
        broken.put("deviceId", null); // a required string: the writer fails after the fields before it
        assertThatThrownBy(() -> serdes.reading().serializer().serialize(READINGS, broken))
                .isInstanceOf(SerializationException.class);

        SensorReading good = zoneReading();
        byte[] bytes = serdes.reading().serializer().serialize(READINGS, good);

        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(good));
        assertThat(serdes.reading().deserializer().deserialize(READINGS, bytes)).isEqualTo(good);
    }

    @Test
    void shouldPassNullsThroughAsTombstones() {
        assertThat(serdes.profile().serializer().serialize("kelvin.buildings", null)).isNull();
        assertThat(serdes.profile().deserializer().deserialize("kelvin.buildings", null)).isNull();
        assertThat(serdes.generic().deserializer().deserialize("kelvin.buildings", null)).isNull();
        assertThat(AvroSerde.schemaIdOf(null)).isEqualTo(-1);
    }

    // --- schema evolution ---

    @Test
    void shouldReadRecordsOfANewerWriterWithTheGeneratedReader() {
        Schema v2 = sensorReadingV2();
        byte[] v1Bytes = serdes.reading().serializer().serialize(READINGS, zoneReading());
        GenericRecord newer = new GenericRecordBuilder(v2)
                .set("buildingId", "bldg-berlin-017").set("deviceId", "ahu-3/gw-12")
                .set("metric", new GenericData.EnumSymbol(v2.getField("metric").schema(), "HVAC_POWER_KW"))
                .set("value", 42.7).set("observedAt", OBSERVED_AT.toEpochMilli())
                .set("zoneId", null).set("firmwareVersion", "gw-4.2.1").build();

        byte[] v2Bytes = serdes.generic().serializer().serialize(READINGS, newer);
        SensorReading read = serdes.reading().deserializer().deserialize(READINGS, v2Bytes);

        assertThat(read).isEqualTo(SensorReading.newBuilder().setBuildingId("bldg-berlin-017")
                .setDeviceId("ahu-3/gw-12").setMetric(Metric.HVAC_POWER_KW).setValue(42.7)
                .setObservedAt(OBSERVED_AT).setZoneId(null).build());
        assertThat(registry.schemaIdsOf("kelvin.readings-value"))
                .containsExactly(AvroSerde.schemaIdOf(v1Bytes), AvroSerde.schemaIdOf(v2Bytes));
        assertThat(compatibility(SensorReading.getClassSchema(), v2)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void shouldLetANewerReaderReadWhatKelvinWrites() throws IOException {
        Schema v2 = sensorReadingV2();
        byte[] bytes = serdes.reading().serializer().serialize(READINGS, zoneReading());

        // A consumer built against v2 resolves Kelvin's v1 bytes with the writer schema from the registry.
        Schema writer = registry.getById(AvroSerde.schemaIdOf(bytes));
        GenericRecord read = new GenericDatumReader<GenericRecord>(writer, v2)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

        assertThat(read.get("firmwareVersion")).as("default of the new field").isNull();
        assertThat(read.get("buildingId")).hasToString("bldg-berlin-017");
        assertThat(read.get("metric")).hasToString("ZONE_TEMPERATURE_C");
        assertThat(read.get("observedAt")).isEqualTo(OBSERVED_AT.toEpochMilli());
        assertThat(read.get("zoneId")).hasToString("floor-2-east");
        assertThat(compatibility(v2, SensorReading.getClassSchema())).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void shouldReadAMetricSymbolItDoesNotKnowAsUnknown() {
        Schema newerMetric = Schema.createEnum("Metric", Metric.getClassSchema().getDoc(), "io.kelvin.schema",
                append(Metric.getClassSchema().getEnumSymbols(), "PM25_UG_M3"), "UNKNOWN");
        Schema newer = withFields(SensorReading.getClassSchema(), fields -> fields.replaceAll(f -> f.name().equals("metric")
                ? new Schema.Field(f.name(), newerMetric, f.doc())
                : new Schema.Field(f, f.schema())));
        GenericRecord pm25 = new GenericRecordBuilder(newer)
                .set("buildingId", "bldg-berlin-017").set("deviceId", "iaq-7")
                .set("metric", new GenericData.EnumSymbol(newerMetric, "PM25_UG_M3"))
                .set("value", 8.5).set("observedAt", OBSERVED_AT.toEpochMilli()).set("zoneId", "floor-2-east").build();

        byte[] bytes = serdes.generic().serializer().serialize(READINGS, pm25);

        assertThat(serdes.reading().deserializer().deserialize(READINGS, bytes).getMetric()).isEqualTo(Metric.UNKNOWN);
        assertThat(compatibility(SensorReading.getClassSchema(), newer)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void shouldFailClearlyOnAnIncompatibleWriter() {
        Schema incompatible = withFields(SensorReading.getClassSchema(), fields -> fields.replaceAll(f -> f.name().equals("value")
                ? new Schema.Field("value", Schema.create(Schema.Type.STRING), f.doc())
                : new Schema.Field(f, f.schema())));
        GenericRecord record = new GenericRecordBuilder(incompatible)
                .set("buildingId", "bldg-berlin-017").set("deviceId", "ahu-3/gw-12")
                .set("metric", new GenericData.EnumSymbol(incompatible.getField("metric").schema(), "CO2_PPM"))
                .set("value", "612 ppm").set("observedAt", OBSERVED_AT.toEpochMilli()).set("zoneId", null).build();
        byte[] bytes = serdes.generic().serializer().serialize(READINGS, record);

        assertThat(compatibility(SensorReading.getClassSchema(), incompatible))
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThatThrownBy(() -> serdes.reading().deserializer().deserialize(READINGS, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot decode schema id " + AvroSerde.schemaIdOf(bytes)
                        + " payload from topic kelvin.readings: ");
    }

    @Test
    void shouldKeepSchemaVersionsOfOneRecordNameApartInTheGenericSerde() {
        Schema v1 = SensorReading.getClassSchema();
        Schema v2 = sensorReadingV2();
        List<byte[]> written = new ArrayList<>();

        for (int i = 0; i < 4; i++) {
            Schema schema = i % 2 == 0 ? v1 : v2;
            GenericRecordBuilder record = new GenericRecordBuilder(schema)
                    .set("buildingId", "bldg-" + i).set("deviceId", "d")
                    .set("metric", new GenericData.EnumSymbol(schema.getField("metric").schema(), "CO2_PPM"))
                    .set("value", 600.0 + i).set("observedAt", OBSERVED_AT.toEpochMilli()).set("zoneId", null);
            if (schema == v2) {
                record.set("firmwareVersion", "fw-" + i);
            }
            written.add(serdes.generic().serializer().serialize(READINGS, record.build()));
        }

        assertThat(written).extracting(AvroSerde::schemaIdOf).containsExactly(1, 2, 1, 2);
        assertThat(serdes.generic().deserializer().deserialize(READINGS, written.get(3)).get("firmwareVersion"))
                .hasToString("fw-3");
    }

    // --- the generic serde ---

    @Test
    void shouldDecodeWithTheWriterSchemaInTheGenericSerde() {
        byte[] bytes = serdes.setpoint().serializer().serialize("kelvin.setpoints", modelCommand());
        byte[] v2Bytes = serdes.generic().serializer().serialize(READINGS, new GenericRecordBuilder(sensorReadingV2())
                .set("buildingId", "bldg-berlin-017").set("deviceId", "ahu-3/gw-12")
                .set("metric", new GenericData.EnumSymbol(sensorReadingV2().getField("metric").schema(), "CO2_PPM"))
                .set("value", 612.0).set("observedAt", OBSERVED_AT.toEpochMilli()).set("zoneId", null)
                .set("firmwareVersion", "gw-4.2.1").build());

        GenericRecord command = serdes.generic().deserializer().deserialize("kelvin.setpoints", bytes);
        GenericRecord reading = serdes.generic().deserializer().deserialize(READINGS, v2Bytes);

        assertThat(command).isNotInstanceOf(SetpointCommand.class);
        assertThat(command.getSchema()).isEqualTo(SetpointCommand.getClassSchema());
        assertThat(command.get("decisionId")).hasToString("bldg-berlin-017@2026-01-14T08:50:00Z");
        assertThat(command.get("source")).hasToString("MODEL");
        assertThat(command.get("windowEnd")).isEqualTo(Instant.parse("2026-01-14T08:50:00Z").toEpochMilli());
        assertThat(reading.getSchema()).isEqualTo(sensorReadingV2());
        assertThat(reading.get("firmwareVersion")).hasToString("gw-4.2.1");
    }

    // --- bad input ---

    @Test
    void shouldRejectAPayloadTooShortForTheHeader() {
        assertThatThrownBy(() -> serdes.reading().deserializer().deserialize(READINGS, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot deserialize from topic kelvin.readings: payload of 3 bytes is too short"
                        + " for the Confluent wire format (needs at least 5)");
    }

    @Test
    void shouldRejectABadMagicByte() {
        byte[] json = "{\"buildingId\":\"bldg-berlin-017\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serdes.reading().deserializer().deserialize(READINGS, json))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot deserialize from topic kelvin.readings: unknown magic byte 123"
                        + " (expected 0: Confluent wire format)");
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        byte[] bytes = serdes.reading().serializer().serialize(READINGS, zoneReading());
        ByteBuffer.wrap(bytes).putInt(1, 999);

        assertThatThrownBy(() -> serdes.reading().deserializer().deserialize(READINGS, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot deserialize from topic kelvin.readings: unknown schema id 999: Schema 999 not found");
    }

    @Test
    void shouldSayWhenTheRegistryCannotBeAskedRatherThanCallingTheIdUnknown() {
        SchemaRegistryClient down = new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                throw new SchemaRegistryException("Schema registry: cannot register schema under subject '" + subject
                        + "': POST http://registry:8081/subjects/" + subject + "/versions answered HTTP 409 (error_code 409):"
                        + " Schema being registered is incompatible with an earlier schema", 409, 409, null);
            }

            @Override
            public Schema getById(int id) {
                throw new SchemaRegistryException("Schema registry: cannot fetch schema id " + id
                        + ": GET http://registry:8081/schemas/ids/" + id + " timed out after 10000 ms");
            }
        };
        AvroSerde<SensorReading> serde = AvroSerde.specific(down, SensorReading.class);

        assertThatThrownBy(() -> serde.deserializer().deserialize(READINGS, new byte[] {0, 0, 0, 0, 7, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot deserialize from topic kelvin.readings: cannot fetch schema id 7: Schema registry:"
                        + " cannot fetch schema id 7: GET http://registry:8081/schemas/ids/7 timed out after 10000 ms");
        assertThatThrownBy(() -> serde.serializer().serialize(READINGS, zoneReading()))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot serialize io.kelvin.schema.SensorReading for topic kelvin.readings: ")
                .hasMessageContaining("HTTP 409");
    }

    @Test
    void shouldRejectTrailingGarbage() {
        byte[] bytes = serdes.reading().serializer().serialize(READINGS, zoneReading());
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 3);
        int id = AvroSerde.schemaIdOf(bytes);

        assertThatThrownBy(() -> serdes.reading().deserializer().deserialize(READINGS, padded))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot decode schema id " + id + " payload from topic kelvin.readings: 3 trailing bytes"
                        + " after the record (" + (padded.length - 5) + "-byte body)");
    }

    @Test
    void shouldRejectATruncatedRecord() {
        byte[] bytes = serdes.reading().serializer().serialize(READINGS, zoneReading());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 4);

        assertThatThrownBy(() -> serdes.reading().deserializer().deserialize(READINGS, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot decode schema id " + AvroSerde.schemaIdOf(bytes)
                        + " payload from topic kelvin.readings: ");
    }

    // --- values and schemas ---

    private static SensorReading zoneReading() {
        return SensorReading.newBuilder()
                .setBuildingId("bldg-berlin-017").setDeviceId("ahu-3/gw-12")
                .setMetric(Metric.ZONE_TEMPERATURE_C).setValue(21.7)
                .setObservedAt(OBSERVED_AT).setZoneId("floor-2-east").build();
    }

    private static SetpointCommand modelCommand() {
        return SetpointCommand.newBuilder()
                .setDecisionId("bldg-berlin-017@2026-01-14T08:50:00Z").setBuildingId("bldg-berlin-017")
                .setSetpointC(21.8)
                .setWindowStart(Instant.parse("2026-01-14T08:40:00Z"))
                .setWindowEnd(Instant.parse("2026-01-14T08:50:00Z"))
                .setValidUntil(Instant.parse("2026-01-14T09:15:00Z"))
                .setSource(SetpointSource.MODEL).setReason("")
                .setModelVersion("2026-01-14T02:00Z-3f2a").setPreviousSetpointC(21.5)
                .setPredictedEnergyKwh(6.9).setPredictedIndoorC(21.7).setOccupied(true).build();
    }

    /** SensorReading as a later release might define it: one more optional field, with a default. */
    private static Schema sensorReadingV2() {
        return withFields(SensorReading.getClassSchema(), fields -> {
            fields.replaceAll(f -> new Schema.Field(f, f.schema()));
            fields.add(new Schema.Field("firmwareVersion",
                    Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                    "Firmware of the reporting device, when it says.", JsonProperties.NULL_VALUE));
        });
    }

    /** A copy of record {@code schema} whose fields (copies, as Avro requires) {@code edit} changes. */
    private static Schema withFields(Schema schema, java.util.function.Consumer<List<Schema.Field>> edit) {
        List<Schema.Field> fields = new ArrayList<>(schema.getFields());
        edit.accept(fields);
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static List<String> append(List<String> list, String element) {
        List<String> out = new ArrayList<>(list);
        out.add(element);
        return out;
    }

    private static SchemaCompatibilityType compatibility(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType();
    }

    private static byte[] plainAvro(SensorReading reading) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(SensorReading.class).write(reading, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Counts what a serde asks its registry. */
    private static final class CountingRegistry implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        final AtomicInteger registrations = new AtomicInteger();
        final AtomicInteger lookups = new AtomicInteger();

        CountingRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            registrations.incrementAndGet();
            return delegate.register(subject, schema);
        }

        @Override
        public Schema getById(int id) {
            lookups.incrementAndGet();
            return delegate.getById(id);
        }
    }
}
