package io.kelvin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.config.KelvinConfig;
import io.kelvin.json.JsonLineParser;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.schema.SensorReading;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProduceCommandTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private String scope;
    private TopicCatalogue catalogue;
    private JsonLineParser<SensorReading> parser;
    private final StringWriter err = new StringWriter();

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() {
        scope = "produce-" + UUID.randomUUID();
        KelvinConfig config = KelvinConfig.of(Map.of(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope));
        catalogue = new TopicCatalogue(config, new KelvinSerdes(MockSchemaRegistry.forScope(scope)));
        parser = (JsonLineParser<SensorReading>) JsonLineParser.forTopic(catalogue, "readings", null, CLOCK);
    }

    @AfterEach
    void tearDown() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldSendEveryRecordLineAndSayHowManyWereWritten() {
        MockProducer<String, SensorReading> producer = producer(true);

        int exit = produce(producer, "# morning readings", reading("b1"), "", reading("b2"), "   ");

        assertThat(exit).isZero();
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("b1", "b2");
        assertThat(err).hasToString("kelvin produce: wrote 2 records to kelvin.readings\n");
    }

    @Test
    void shouldStopAtTheFirstBadLineAfterFlushingWhatCameBefore() {
        MockProducer<String, SensorReading> producer = producer(false); // nothing completes until flush

        int exit = produce(producer,
                reading("b1"),
                "# a comment still counts as a line",
                reading("b2"),
                reading("b3").replace("ZONE_TEMPERATURE_C", "ZONE_TEMP"),
                reading("b4"));

        assertThat(exit).isEqualTo(2);
        assertThat(producer.flushed()).isTrue();
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("b1", "b2");
        assertThat(err.toString()).isEqualTo(
                "kelvin produce: line 4: metric: unknown symbol \"ZONE_TEMP\" for enum Metric; expected one of UNKNOWN, "
                + "ZONE_TEMPERATURE_C, OUTDOOR_TEMPERATURE_C, SUPPLY_AIR_TEMPERATURE_C, RELATIVE_HUMIDITY_PCT, CO2_PPM, "
                + "OCCUPANCY_COUNT, HVAC_POWER_KW, SETPOINT_C\n"
                + "kelvin produce: wrote 2 records to kelvin.readings; stopped at line 4\n");
    }

    @Test
    void shouldStopWhenTheBrokerRefusesARecord() {
        MockProducer<String, SensorReading> producer = new MockProducer<>(true, null, new StringSerializer(),
                catalogue.readings().valueSerde().serializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, SensorReading> record, Callback callback) {
                if (record.key().equals("b2")) {
                    RecordTooLargeException refused = new RecordTooLargeException("The message is 2000000 bytes when serialized");
                    callback.onCompletion(null, refused);
                    return CompletableFuture.failedFuture(refused);
                }
                return super.send(record, callback);
            }
        };

        int exit = produce(producer, reading("b1"), reading("b2"), reading("b3"));

        assertThat(exit).isEqualTo(1);
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("b1");
        assertThat(err.toString()).isEqualTo(
                "kelvin produce: line 2: not written: The message is 2000000 bytes when serialized\n"
                + "kelvin produce: wrote 1 record to kelvin.readings; stopped reading after line 2\n");
    }

    @Test
    void shouldReportARecordThatCannotBeSerialized() {
        Serializer<SensorReading> unavailable = (topic, value) -> {
            throw new SerializationException("schema registry unavailable");
        };
        MockProducer<String, SensorReading> producer = new MockProducer<>(true, null,
                new StringSerializer(), unavailable);

        int exit = produce(producer, reading("b1"));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("kelvin produce: line 1: not written: ")
                .contains("schema registry unavailable")
                .endsWith("kelvin produce: wrote 0 records to kelvin.readings; stopped reading after line 1\n");
    }

    @Test
    void shouldGiveTheProducerIdempotenceAndPassClientSettingsThrough() {
        KelvinConfig config = KelvinConfig.of(Map.of(
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope,
                "bootstrap.servers", "broker:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN",
                "enable.idempotence", "false",
                "transactional.id", "kelvin-optimizer-1",
                "processing.guarantee", "exactly_once_v2",
                "isolation.level", "read_committed"));

        Map<String, Object> settings = ProduceCommand.producerSettings(config);

        assertThat(settings)
                .containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "kelvin-produce")
                .doesNotContainKeys("processing.guarantee", "isolation.level", "transactional.id");
    }

    @Test
    void shouldExitWith2ForAnUnknownTopicBeforeConnecting() throws IOException {
        Path input = Files.writeString(dir.resolve("in.jsonl"), reading("b1") + "\n");

        Run run = cli("produce", "--topic", "reading", "--file", input.toString(), "--schema-registry-url", "mock://" + scope);

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).startsWith("kelvin produce: unknown topic 'reading'; Kelvin's topics are kelvin.readings (readings), ");
    }

    @Test
    void shouldExitWith2ForTheDeadLetterTopicOrAMissingFile() {
        Run deadLetters = cli("produce", "--topic", "dead-letters", "--schema-registry-url", "mock://" + scope);
        Run missing = cli("produce", "--topic", "readings", "--file", dir.resolve("none.jsonl").toString(),
                "--schema-registry-url", "mock://" + scope);

        assertThat(deadLetters.exit).isEqualTo(2);
        assertThat(deadLetters.err).startsWith("kelvin produce: kelvin.dead-letters holds the raw bytes");
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.err).isEqualTo("kelvin produce: --file " + dir.resolve("none.jsonl") + ": no such file\n");
    }

    @Test
    void shouldExplainItselfInHelp() {
        Run help = cli("produce", "--help");

        assertThat(help.exit).isZero();
        assertThat(help.out).contains("--topic=NAME", "--file=FILE|-", "--key-field=FIELD", "--schema-registry-url",
                "kelvin produce --topic readings");
    }

    private int produce(MockProducer<String, SensorReading> producer, String... lines) {
        BufferedReader in = new BufferedReader(new StringReader(String.join("\n", lines) + "\n"));
        return ProduceCommand.produce(parser, in, producer, new PrintWriter(err, true));
    }

    private MockProducer<String, SensorReading> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, catalogue.readings().keySerde().serializer(),
                catalogue.readings().valueSerde().serializer());
    }

    private static String reading(String building) {
        return "{\"buildingId\":\"" + building + "\",\"deviceId\":\"gw-7\",\"metric\":\"ZONE_TEMPERATURE_C\",\"value\":21.4,"
                + "\"observedAt\":\"2026-11-23T10:00:00Z\"}";
    }

    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = KelvinCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
