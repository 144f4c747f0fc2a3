package io.kelvin.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.schema.SensorReading;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** URL parsing and id derivation; no broker (see {@link KafkaSchemaRegistryIntegrationTest}). */
class KafkaSchemaRegistryTest {

    @Test
    void shouldTakeTheDefaultTopicWhenThePathIsEmpty() {
        assertThat(KafkaSchemaRegistry.parse("kafka://127.0.0.1:9999"))
                .isEqualTo(new KafkaSchemaRegistry.Location("127.0.0.1:9999", KafkaSchemaRegistry.DEFAULT_TOPIC));
        assertThat(KafkaSchemaRegistry.parse("kafka://127.0.0.1:9999/").topic()).isEqualTo("_kelvin_schemas");
    }

    @Test
    void shouldReadSeveralServersAndATopic() {
        assertThat(KafkaSchemaRegistry.parse("kafka://a:1,b:2/my.schemas"))
                .isEqualTo(new KafkaSchemaRegistry.Location("a:1,b:2", "my.schemas"));
    }

    @Test
    void shouldRejectMalformedUrls() {
        assertThatThrownBy(() -> KafkaSchemaRegistry.parse("kafka:///topic"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not HOST:PORT");
        assertThatThrownBy(() -> KafkaSchemaRegistry.parse("kafka://host/topic"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'host' is not HOST:PORT");
        assertThatThrownBy(() -> KafkaSchemaRegistry.parse("kafka://host:1/bad topic"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad topic");
    }

    @Test
    void shouldDeriveAPositiveIdFromTheCanonicalFormOnly() {
        Schema documented = SensorReading.getClassSchema();
        // The same record without docs and Java string hints: equal canonical form, so equal id.
        Schema bare = new Schema.Parser().parse("""
                {"type":"record","name":"SensorReading","namespace":"io.kelvin.schema","fields":[
                  {"name":"buildingId","type":"string"},
                  {"name":"deviceId","type":"string"},
                  {"name":"metric","type":{"type":"enum","name":"Metric","symbols":["UNKNOWN","ZONE_TEMPERATURE_C",
                    "OUTDOOR_TEMPERATURE_C","SUPPLY_AIR_TEMPERATURE_C","RELATIVE_HUMIDITY_PCT","CO2_PPM","OCCUPANCY_COUNT",
                    "HVAC_POWER_KW","SETPOINT_C"]}},
                  {"name":"value","type":"double"},
                  {"name":"observedAt","type":"long"},
                  {"name":"zoneId","type":["null","string"]}]}
                """);

        assertThat(KafkaSchemaRegistry.idOf(documented)).isPositive().isEqualTo(KafkaSchemaRegistry.idOf(bare));
        assertThat(KafkaSchemaRegistry.idOf(Schema.create(Schema.Type.STRING)))
                .isNotEqualTo(KafkaSchemaRegistry.idOf(documented));
    }
}
