package io.kelvin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kelvin.cli.ProduceCommandTest.Run;
import io.kelvin.config.KelvinConfig;
import io.kelvin.json.ConsumedRecordFormatter;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.serde.KelvinSerdes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TailCommandTest {

    private static final String TOPIC = "kelvin.readings";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private String scope;
    private KelvinSerdes serdes;
    private ConsumedRecordFormatter formatter;
    private MockConsumer<byte[], byte[]> consumer;
    private final StringWriter out = new StringWriter();

    @BeforeEach
    void setUp() {
        scope = "tail-" + UUID.randomUUID();
        serdes = new KelvinSerdes(MockSchemaRegistry.forScope(scope));
        formatter = new ConsumedRecordFormatter(serdes.generic().deserializer());
        consumer = new MockConsumer<>("none");
        consumer.updatePartitions(TOPIC, List.of(partition(0), partition(1)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, 5L, P1, 7L));
    }

    @AfterEach
    void tearDown() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldAssignEveryPartitionAndStartAtTheEndUnlessAskedForTheBeginning() {
        TailCommand.assignAll(consumer, TOPIC, false);

        assertThat(consumer.assignment()).containsExactlyInAnyOrder(P0, P1);
        assertThat(consumer.position(P0)).isEqualTo(5L);
        assertThat(consumer.position(P1)).isEqualTo(7L);

        TailCommand.assignAll(consumer, TOPIC, true);

        assertThat(consumer.position(P0)).isZero();
        assertThat(consumer.subscription()).isEmpty(); // assigned, not subscribed: no group
    }

    @Test
    void shouldRejectATopicTheBrokerDoesNotHave() {
        assertThatThrownBy(() -> TailCommand.assignAll(consumer, "kelvin.feedback", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("topic kelvin.feedback does not exist on the broker");
    }

    @Test
    void shouldPrintOneJsonLinePerRecordAndStopAtMax() throws Exception {
        TailCommand.assignAll(consumer, TOPIC, true);
        consumer.addRecord(reading(P0, 0, "b1"));
        consumer.addRecord(reading(P0, 1, "b2"));
        consumer.addRecord(reading(P1, 0, "b3"));

        long printed = follow(2, null, ticking(1));

        assertThat(printed).isEqualTo(2);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = MAPPER.readTree(lines.get(0));
        assertThat(first.get("topic").textValue()).isEqualTo(TOPIC);
        assertThat(first.get("timestamp").textValue()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(first.get("value").get("metric").textValue()).isEqualTo("OUTDOOR_TEMPERATURE_C");
        assertThat(lines).allSatisfy(line -> assertThat(MAPPER.readTree(line).get("key").textValue()).startsWith("b"));
    }

    @Test
    void shouldStopWhenNoRecordArrivesWithinTheTimeout() {
        TailCommand.assignAll(consumer, TOPIC, true);
        consumer.addRecord(reading(P0, 0, "b1"));

        // every look at the clock is 100 ms later: the record comes at once, then 1 s of silence
        long printed = follow(Long.MAX_VALUE, Duration.ofSeconds(1), ticking(100));

        assertThat(printed).isEqualTo(1);
        assertThat(consumer.lastPollTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldStopCleanlyWhenWokenUpByCtrlC() {
        TailCommand.assignAll(consumer, TOPIC, true);
        consumer.schedulePollTask(() -> consumer.addRecord(reading(P1, 0, "b1")));
        consumer.schedulePollTask(consumer::wakeup); // what the shutdown hook does on Ctrl-C

        long printed = follow(Long.MAX_VALUE, null, ticking(1));

        assertThat(printed).isEqualTo(1);
        assertThat(out.toString()).endsWith("}\n").hasLineCount(1);
    }

    @Test
    void shouldReadCommittedRecordsWithoutAGroup() {
        KelvinConfig config = KelvinConfig.of(Map.of(
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope,
                "bootstrap.servers", "broker:9093",
                "security.protocol", "SSL",
                "group.id", "someone-elses-group",
                "isolation.level", "read_uncommitted",
                "acks", "all"));

        Map<String, Object> settings = TailCommand.consumerSettings(config);

        assertThat(settings)
                .containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SSL")
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)
                .doesNotContainKeys(ConsumerConfig.GROUP_ID_CONFIG, "acks");
    }

    @Test
    void shouldExitWith2ForAnUnknownTopicBeforeConnecting() {
        Run run = ProduceCommandTest.cli("tail", "--topic", "setpoint", "--schema-registry-url", "mock://" + scope);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("kelvin tail: unknown topic 'setpoint'; Kelvin's topics are ");
    }

    @Test
    void shouldExitWith2ForABadMaxOrTimeout() {
        Run zero = ProduceCommandTest.cli("tail", "--topic", "readings", "--max", "0", "--schema-registry-url", "mock://" + scope);
        Run soon = ProduceCommandTest.cli("tail", "--topic", "readings", "--timeout", "soon", "--schema-registry-url", "mock://" + scope);

        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--max must be at least 1, got 0");
        assertThat(soon.exit()).isEqualTo(2);
        assertThat(soon.err()).contains("'soon' is not a duration; write for example 30s, 500ms, 2m, 1h or PT30S");
    }

    @Test
    void shouldReadDurationsAsPeopleWriteThem() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(converter.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> converter.convert("5 minutes")).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void shouldExplainItselfInHelp() {
        Run help = ProduceCommandTest.cli("tail", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--from-beginning", "--max=N", "--timeout=DURATION", "--config=FILE", "valueBase64");
    }

    private long follow(long max, Duration timeout, LongSupplier clock) {
        return TailCommand.follow(consumer, formatter, new PrintWriter(out), max, timeout, clock);
    }

    private ConsumerRecord<byte[], byte[]> reading(TopicPartition partition, long offset, String building) {
        Instant observedAt = Instant.parse("2026-11-23T10:00:00Z");
        SensorReading reading = SensorReading.newBuilder().setBuildingId(building).setDeviceId("gw-1")
                .setMetric(Metric.OUTDOOR_TEMPERATURE_C).setValue(4.5).setObservedAt(observedAt).build();
        byte[] value = serdes.reading().serializer().serialize(TOPIC, reading);
        return new ConsumerRecord<>(TOPIC, partition.partition(), offset, observedAt.toEpochMilli(),
                TimestampType.CREATE_TIME, building.length(), value.length,
                building.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(),
                Optional.empty());
    }

    /** A monotonic clock that moves {@code stepMillis} forward each time it is read. */
    private static LongSupplier ticking(long stepMillis) {
        AtomicLong now = new AtomicLong();
        return () -> now.addAndGet(stepMillis);
    }

    private static PartitionInfo partition(int number) {
        return new PartitionInfo(TOPIC, number, null, null, null);
    }
}
