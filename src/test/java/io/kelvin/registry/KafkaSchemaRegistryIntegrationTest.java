package io.kelvin.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.config.KelvinConfig;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.serde.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two registry clients on one broker stand for two Kelvin processes: nothing is shared between
 * them but the topic. One broker for the class; each test uses its own schema topic.
 */
class KafkaSchemaRegistryIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final SensorReading READING = SensorReading.newBuilder()
            .setBuildingId("b-1")
            .setDeviceId("gw-7")
            .setMetric(Metric.ZONE_TEMPERATURE_C)
            .setValue(21.5)
            .setObservedAt(Instant.parse("2025-01-06T08:00:00Z"))
            .setZoneId("z-1")
            .build();

    @TempDir
    static Path tempDir;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(tempDir.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldLetASecondClientDecodeWhatTheFirstWrote() throws Exception {
        String url = "kafka://" + broker.bootstrapServers() + "/schemas-decode";
        try (SchemaRegistryClient writer = SchemaRegistries.open(KelvinConfig.of(Map.of(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, url)));
             SchemaRegistryClient reader = client(url)) {
            byte[] payload = AvroSerde.specific(writer, SensorReading.class).serializer().serialize("kelvin.readings", READING);

            SensorReading decoded = AvroSerde.specific(reader, SensorReading.class).deserializer().deserialize("kelvin.readings", payload);
            GenericRecord generic = AvroSerde.generic(reader).deserializer().deserialize("kelvin.readings", payload);

            assertThat(decoded).isEqualTo(READING);
            assertThat(generic.get("deviceId").toString()).isEqualTo("gw-7");
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TopicDescription topic = admin.describeTopics(List.of("schemas-decode")).allTopicNames().get().get("schemas-decode");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "schemas-decode");
            String cleanupPolicy = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            assertThat(topic.partitions()).hasSize(1);
            assertThat(cleanupPolicy).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    @Test
    void shouldGiveTheSameSchemaTheSameIdInEveryClient() {
        String url = "kafka://" + broker.bootstrapServers() + "/schemas-ids";
        try (KafkaSchemaRegistry first = client(url); KafkaSchemaRegistry second = client(url)) {
            int firstId = first.register("kelvin.readings-value", SensorReading.getClassSchema());
            int secondId = second.register("other-topic-value", SensorReading.getClassSchema());
            int profileId = first.register("kelvin.buildings-value", BuildingProfile.getClassSchema());

            assertThat(secondId).isEqualTo(firstId).isEqualTo(KafkaSchemaRegistry.idOf(SensorReading.getClassSchema()));
            assertThat(profileId).isNotEqualTo(firstId).isPositive();
            // The second client has read the first one's records already; a schema registered
            // later is found by reading on from there.
            assertThat(second.getById(profileId)).isEqualTo(BuildingProfile.getClassSchema());
        }
    }

    @Test
    void shouldSayClearlyThatAnIdIsUnknown() {
        String url = "kafka://" + broker.bootstrapServers() + "/schemas-unknown";
        try (KafkaSchemaRegistry writer = client(url); KafkaSchemaRegistry reader = client(url)) {
            int known = writer.register("kelvin.readings-value", SensorReading.getClassSchema());
            int unknown = known == 42 ? 43 : 42;

            assertThat(reader.getById(known)).isEqualTo(SensorReading.getClassSchema());
            assertThatThrownBy(() -> reader.getById(unknown))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("Schema id " + unknown + " is not registered in " + url)
                    .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(40403);
        }
    }

    @Test
    void shouldReportAnUnknownIdWhenTheSchemaTopicDoesNotExist() {
        try (KafkaSchemaRegistry reader = client("kafka://" + broker.bootstrapServers() + "/schemas-never-written")) {
            assertThatThrownBy(() -> reader.getById(7))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("Schema id 7 is not registered");
        }
    }

    private static KafkaSchemaRegistry client(String url) {
        return new KafkaSchemaRegistry(url, Map.of(), (short) -1, TIMEOUT);
    }
}
