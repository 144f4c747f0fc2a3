package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import io.kelvin.json.ConsumedRecordFormatter;
import io.kelvin.json.TopicNames;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kelvin tail}: any Kelvin topic as JSON lines on standard output, one object per record
 * (see {@link ConsumedRecordFormatter} for its fields); the count goes to standard error.
 *
 * <p>Reads with {@code isolation.level=read_committed}, so it shows what the BMS would see and
 * never a record of an aborted transaction. It assigns itself every partition and joins no
 * group: it commits nothing and disturbs no one. Stops after {@code --max} records, when {@code
 * --timeout} passes without a new record, or on Ctrl-C (after the current line).
 */
@Command(name = "tail",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Prints the records of a Kelvin topic as JSON lines, decoded with the schema they were written with.",
            "",
            "Each line is {\"topic\",\"partition\",\"offset\",\"timestamp\",\"key\",\"value\":{...},\"headers\":{...}}. "
                    + "A value that is not Kelvin Avro (the dead-letter topic holds the raw original bytes) is printed as "
                    + "\"valueBase64\" with the reason in \"decodeError\". Header values are printed as UTF-8 text.",
            "",
            "Reads committed records only, from every partition, without a consumer group (nothing is committed). "
                    + "Without --max or --timeout it follows the topic until Ctrl-C. The record count goes to "
                    + "standard error, so standard output is pure JSON lines.",
            "",
        },
        footer = {
            "",
            "Examples:",
            "  kelvin tail --topic setpoints --config kelvin.properties",
            "  kelvin tail --topic dead-letters --from-beginning --timeout 5s \\",
            "      --config kelvin.properties | jq .headers",
            "  kelvin tail --topic kelvin.readings --from-beginning --max 10 \\",
            "      --bootstrap-servers localhost:9092 \\",
            "      --schema-registry-url http://localhost:8081",
        })
public final class TailCommand implements Callable<Integer> {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--topic", required = true, paramLabel = "NAME",
            description = "Topic to read: readings, buildings, setpoints, feedback, models, training-reports, dead-letters, or its configured name (for example kelvin.setpoints).")
    String topicName;

    @Option(names = "--from-beginning",
            description = "Start at the oldest record of each partition; by default only records written from now on are shown.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N",
            description = "Stop after N records.")
    Long max;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop when no record has arrived for this long: 30s, 500ms, 2m, 1h or ISO-8601 (PT30S); a bare number is seconds.")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max must be at least 1, got " + max);
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be positive, got " + timeout);
        }
        KelvinConfig config = configOptions.load(ProduceCommand.CONFIG_ROLE);
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            KelvinSerdes serdes = new KelvinSerdes(registry);
            String topic = TopicNames.resolve(new TopicCatalogue(config, serdes), topicName).name();
            ConsumedRecordFormatter formatter = new ConsumedRecordFormatter(serdes.generic().deserializer());
            tail(topic, formatter, consumerSettings(config));
        }
        return 0;
    }

    /**
     * Runs until done or Ctrl-C. On Ctrl-C the shutdown hook wakes the consumer and holds the JVM
     * until the consumer is closed and the count is printed.
     */
    private void tail(String topic, ConsumedRecordFormatter formatter, Map<String, Object> settings) {
        CountDownLatch finished = new CountDownLatch(1);
        try {
            long printed = 0;
            try (Consumer<byte[], byte[]> consumer =
                         new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                Thread hook = new Thread(() -> {
                    consumer.wakeup();
                    try {
                        finished.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "kelvin-tail-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    assignAll(consumer, topic, fromBeginning);
                    printed = follow(consumer, formatter, spec.commandLine().getOut(), max == null ? Long.MAX_VALUE : max, timeout,
                            () -> System.nanoTime() / 1_000_000);
                } catch (WakeupException e) {
                    // Ctrl-C while still looking up the partitions: nothing printed
                } finally {
                    removeShutdownHook(hook);
                }
            }
            spec.commandLine().getErr().println("kelvin tail: " + printed + (printed == 1 ? " record" : " records") + " from " + topic);
            spec.commandLine().getErr().flush();
        } finally {
            finished.countDown();
        }
    }

    /**
     * Assigns every partition of {@code topic} and positions at its start or end.
     *
     * @throws IllegalArgumentException when the broker does not know the topic
     */
    static void assignAll(Consumer<?, ?> consumer, String topic, boolean fromBeginning) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist on the broker (kelvin does not create it here)");
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(assigned);
        if (fromBeginning) {
            consumer.seekToBeginning(assigned);
        } else {
            consumer.seekToEnd(assigned);
        }
    }

    /**
     * Prints each polled record as one JSON line until {@code max} are printed, {@code idleTimeout}
     * (null: none) passes without a record, or the consumer is woken up. Returns the count printed.
     *
     * @param monotonicMillis a clock that only moves forward, for the idle timeout
     */
    static long follow(Consumer<byte[], byte[]> consumer, ConsumedRecordFormatter formatter, PrintWriter out,
                       long max, Duration idleTimeout, LongSupplier monotonicMillis) {
        long printed = 0;
        long lastRecordAt = monotonicMillis.getAsLong();
        try {
            while (printed < max) {
                Duration pollFor = POLL_INTERVAL;
                if (idleTimeout != null) {
                    long left = idleTimeout.toMillis() - (monotonicMillis.getAsLong() - lastRecordAt);
                    if (left <= 0) {
                        break;
                    }
                    pollFor = Duration.ofMillis(Math.min(left, POLL_INTERVAL.toMillis()));
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollFor);
                if (!records.isEmpty()) {
                    lastRecordAt = monotonicMillis.getAsLong();
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (printed >= max) {
                        break;
                    }
                    out.println(formatter.format(record).toString());
                    printed++;
                }
                out.flush();
            }
        } catch (WakeupException e) {
            // Ctrl-C: poll was interrupted between records, so every line printed is whole.
        }
        out.flush();
        return printed;
    }

    static Map<String, Object> consumerSettings(KelvinConfig config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        config.clientSettings().forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k)) {
                settings.put(k, v);
            }
        });
        // No group: tail positions itself and must not move anyone's committed offsets.
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kelvin-tail");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Looking at a topic must never create it.
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return settings;
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting (Ctrl-C); the hook is running and waits for the close
        }
    }
}
