package io.kelvin.optimizer;

import static io.kelvin.optimizer.OptimizerFixture.office;
import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import io.kelvin.schema.SetpointSource;
import io.kelvin.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution end to end: devices upgraded to a v2 {@code SensorReading} (a new optional
 * field) write with the v2 schema, registered in the registry; the optimizer, built against v1,
 * resolves each record to v1 and decides as before, with v1 and v2 readings mixed in one window.
 */
class OptimizerSchemaEvolutionTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private OptimizerFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    /** v1 plus an optional {@code quality} field with a null default: the compatible way to grow. */
    static Schema sensorReadingV2() {
        String v1 = SensorReading.getClassSchema().toString();
        return new Schema.Parser().parse(v1.replace("\"fields\":[",
                "\"fields\":[{\"name\":\"quality\",\"type\":[\"null\",\"string\"],\"default\":null,"
                        + "\"doc\":\"Device-reported quality flag (v2).\"},"));
    }

    @Test
    void shouldDecideFromReadingsWrittenWithANewerCompatibleSchema() {
        Schema v2 = sensorReadingV2();
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(SensorReading.getClassSchema(), v2).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v2, SensorReading.getClassSchema()).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        fx = new OptimizerFixture(new PhysicsPredictor());
        fx.buildings.pipeInput("b1", office("b1"));
        AvroSerde<GenericRecord> v2Writer = AvroSerde.generic(fx.serdes.registry());
        String topic = fx.topics.readings().name();
        byte[] firstV2 = null;

        for (int m = 0; m < 10; m++) {
            Instant at = T0.plusSeconds(60L * m);                            // stream time 09:00 .. 09:09
            // Even minutes from upgraded v2 devices, odd minutes from v1 devices.
            for (Metric metric : List.of(Metric.ZONE_TEMPERATURE_C, Metric.OUTDOOR_TEMPERATURE_C, Metric.HVAC_POWER_KW)) {
                double value = metric == Metric.ZONE_TEMPERATURE_C ? 21 : metric == Metric.OUTDOOR_TEMPERATURE_C ? 5 : 30;
                if (m % 2 == 0) {
                    byte[] bytes = v2Writer.serializer().serialize(topic, v2Reading(v2, "b1", metric, value, at));
                    firstV2 = firstV2 == null ? bytes : firstV2;
                    fx.rawReadings.pipeInput("b1".getBytes(StandardCharsets.UTF_8), bytes, at);
                } else {
                    fx.pipe(OptimizerFixture.reading("b1", metric, value, at));
                }
            }
        }
        WindowStore<String, BuildingWindow> windows = fx.driver.getWindowStore(OptimizerTopology.WINDOW_STORE);
        BuildingWindow window = windows.fetch("b1", T0.toEpochMilli());
        fx.minute("b1", T0.plus(Duration.ofMinutes(12)), 21, 5, 30);       // 09:12: the window closes

        assertThat(fx.serdes.registry().getById(AvroSerde.schemaIdOf(firstV2)).getField("quality"))
                .as("the v2 writer schema is the one registered for the v2 records").isNotNull();
        assertThat(window.getReadings()).as("v1 and v2 readings both aggregated").isEqualTo(30L);
        assertThat(fx.deadLetters.count(io.kelvin.errors.DeadLetterReason.DESERIALIZATION_FAILED)).isZero();
        List<SetpointCommand> commands = fx.setpoints.readValuesToList();
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).getSource()).isEqualTo(SetpointSource.MODEL);
        assertThat(commands.get(0).getDecisionId()).isEqualTo("b1@2026-11-23T09:10:00Z");
        assertThat(fx.deadLetterTopic.isEmpty()).isTrue();
    }

    private static GenericRecord v2Reading(Schema v2, String building, Metric metric, double value, Instant at) {
        return new GenericRecordBuilder(v2)
                .set("quality", "good")
                .set("buildingId", building).set("deviceId", building + "-gw-v2")
                .set("metric", new GenericData.EnumSymbol(v2.getField("metric").schema(), metric.name()))
                .set("value", value).set("observedAt", at.toEpochMilli()).set("zoneId", null)
                .build();
    }
}
