package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import io.kelvin.json.JsonLineParser;
import io.kelvin.json.ParsedLine;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kelvin produce}: JSON lines in, Avro records of one Kelvin topic out.
 *
 * <p>Guarantees: records are sent in input order by an idempotent producer ({@code acks=all}),
 * so a retry never duplicates or reorders them. At the first line that is not a valid record the
 * run stops; what came before is flushed and counted, and the exit code is 2. A record the
 * broker refuses stops the run too, with exit code 1.
 */
@Command(name = "produce",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Reads JSON lines and writes each as an Avro record to a Kelvin topic.",
            "",
            "Write one JSON object per line in the topic's schema (schemas/*.avsc): a nullable field takes a value or "
                    + "null, a missing field its default; enums as their symbols; timestamps as ISO-8601 "
                    + "(2026-11-23T10:00:00Z) or epoch milliseconds; dates as YYYY-MM-DD; bytes as base64. "
                    + "Blank lines and lines starting with # are skipped.",
            "",
            "The key is the record's buildingId (modelKey for models and training-reports) unless --key-field names "
                    + "another field. Readings are timestamped with their observedAt, other records with the current time.",
            "",
            "At the first bad line the run stops with exit code 2, after sending what came before; the message names "
                    + "the line and the field.",
            "",
        },
        footer = {
            "",
            "A line of readings.jsonl (on one line):",
            "  {\"buildingId\":\"b1\",\"deviceId\":\"gw-7\",\"metric\":\"ZONE_TEMPERATURE_C\",",
            "   \"value\":21.4,\"observedAt\":\"2026-11-23T10:00:00Z\"}",
            "",
            "Examples:",
            "  kelvin produce --topic readings --file readings.jsonl \\",
            "      --bootstrap-servers localhost:9092 \\",
            "      --schema-registry-url http://localhost:8081",
            "  cat buildings.jsonl | kelvin produce --topic buildings --config kelvin.properties",
            "  kelvin produce --topic readings --key-field deviceId --file readings.jsonl \\",
            "      --config kelvin.properties",
        })
public final class ProduceCommand implements Callable<Integer> {

    /** The tools read the optimizer's shipped defaults, so the topic names they use are the optimizer's. */
    static final String CONFIG_ROLE = "optimizer";

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--topic", required = true, paramLabel = "NAME",
            description = "Topic to write: readings, buildings, setpoints, feedback, models, training-reports, or its configured name (for example kelvin.readings).")
    String topicName;

    @Option(names = "--file", paramLabel = "FILE|-", defaultValue = "-",
            description = "JSON-lines file to read; - (the default) reads standard input.")
    String file;

    @Option(names = "--key-field", paramLabel = "FIELD",
            description = "Top-level field whose value is the record key (default: buildingId; modelKey for models and training-reports).")
    String keyField;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        KelvinConfig config = configOptions.load(CONFIG_ROLE);
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            TopicCatalogue catalogue = new TopicCatalogue(config, new KelvinSerdes(registry));
            JsonLineParser<?> parser = JsonLineParser.forTopic(catalogue, topicName, keyField, Clock.systemUTC());
            try (BufferedReader in = open(file)) {
                return produce(parser, in, producerSettings(config));
            }
        }
    }

    private <V extends SpecificRecord> int produce(JsonLineParser<V> parser, BufferedReader in, Map<String, Object> settings) {
        try (Producer<String, V> producer = new KafkaProducer<>(settings,
                parser.topic().keySerde().serializer(), parser.topic().valueSerde().serializer())) {
            return produce(parser, in, producer, spec.commandLine().getErr());
        }
    }

    /**
     * Sends every record of {@code in} until the input ends or a line is bad or a send fails;
     * flushes; reports on {@code err}. Returns the exit code: 0, 2 for a bad line, 1 for a
     * refused record.
     */
    static <V extends SpecificRecord> int produce(JsonLineParser<V> parser, BufferedReader in, Producer<String, V> producer,
                                                  PrintWriter err) {
        String topic = parser.topic().name();
        AtomicLong written = new AtomicLong();
        AtomicReference<String> sendFailure = new AtomicReference<>();
        ParsedLine.Invalid<V> invalid = null;
        long lineNumber = 0;
        try {
            String line;
            while (sendFailure.get() == null && (line = in.readLine()) != null) {
                lineNumber++;
                ParsedLine<V> parsed = parser.parse(lineNumber, line);
                if (parsed instanceof ParsedLine.Invalid<V> bad) {
                    invalid = bad;
                    break;
                }
                if (parsed instanceof ParsedLine.Valid<V> valid) {
                    long sentLine = lineNumber;
                    try {
                        producer.send(valid.record(), (metadata, e) -> {
                            if (e == null) {
                                written.incrementAndGet();
                            } else {
                                sendFailure.compareAndSet(null, "line " + sentLine + ": not written: " + e.getMessage());
                            }
                        });
                    } catch (KafkaException e) {
                        // serialization or registry failures surface here, before anything is sent
                        sendFailure.compareAndSet(null, "line " + sentLine + ": not written: " + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read line " + (lineNumber + 1) + ": " + e.getMessage(), e);
        } finally {
            // Callbacks run before flush returns, so the count below is final.
            producer.flush();
        }
        if (sendFailure.get() != null) {
            err.println("kelvin produce: " + sendFailure.get());
        }
        if (invalid != null) {
            err.println("kelvin produce: " + invalid.message());
        }
        String stopped = invalid != null ? "; stopped at line " + lineNumber
                : sendFailure.get() != null ? "; stopped reading after line " + lineNumber
                : "";
        err.println("kelvin produce: wrote " + written.get() + (written.get() == 1 ? " record" : " records") + " to " + topic + stopped);
        err.flush();
        return sendFailure.get() != null ? 1 : invalid != null ? 2 : 0;
    }

    static Map<String, Object> producerSettings(KelvinConfig config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        config.clientSettings().forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                settings.put(k, v);
            }
        });
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "kelvin-produce");
        // A shared config file may carry a transactional.id; this producer commits no transactions.
        settings.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        // Idempotence is the point: a retried batch must not duplicate or reorder records.
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        return settings;
    }

    private static BufferedReader open(String file) throws IOException {
        if (file.equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--file " + file + ": no such file");
        }
    }
}
