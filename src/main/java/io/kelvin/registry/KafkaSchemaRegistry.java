package io.kelvin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kelvin.config.KelvinConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry kept in a compacted, single-partition Kafka topic, addressed as {@code
 * kafka://HOST:PORT[,HOST:PORT]/TOPIC} (topic {@value #DEFAULT_TOPIC} when the path is empty).
 * It is the registry of the embedded default, where no registry server runs: every Kelvin
 * process attached to the same broker (the demo, {@code kelvin tail} in a second terminal, a
 * second optimizer) sees the same schemas.
 *
 * <p>What it guarantees:
 * <ul>
 *   <li><b>Ids need no coordination.</b> A schema's id is its Avro parsing-canonical-form
 *       fingerprint ({@link SchemaNormalization#parsingFingerprint64}) folded into a positive
 *       31-bit int ({@link #idOf}), so every process computes the same id for the same schema
 *       without asking anyone. Schemas that differ only in what the canonical form drops (doc,
 *       defaults, aliases, logical-type annotations) share one id, and the text registered first
 *       is the one served; that is enough to decode, since decoding needs only the writer's
 *       canonical form.</li>
 *   <li><b>Durable before use.</b> {@link #register} returns an id only after the broker has
 *       acknowledged the schema record ({@code acks=all}), so no record can carry an id that a
 *       second process cannot resolve. Registering a schema this process or the topic already
 *       knows writes nothing.</li>
 *   <li><b>Collisions fail loudly.</b> Two different canonical forms with the same id (odds
 *       about n²/2³² for n schemas) make {@link #register} throw; nothing is overwritten.</li>
 *   <li>{@link #getById} of an id not known locally reads the topic from where it left off to
 *       its end (bounded by {@code kelvin.schema.registry.timeout.ms}); an id still unknown
 *       throws {@link SchemaRegistryException} (error code 40403, as Confluent's registry).</li>
 *   <li>A topic that cannot be read or written within that bound (the broker is down or
 *       restarting) throws {@link SchemaRegistryUnavailableException}: the call may succeed
 *       later, and says nothing about the schema.</li>
 * </ul>
 *
 * <p>The topic is created (one partition, {@code cleanup.policy=compact}, replication factor
 * {@code kelvin.topic.replication.factor}) on the first registration when it does not exist.
 * Records: key = the id in decimal, value = {@code {"id":..,"subject":..,"schema":..}}; the
 * subject is informational (the first subject the schema was registered under). Kafka client
 * settings (SASL, TLS) come from the configuration, the bootstrap servers from the URL.
 *
 * <p>Thread-safe; lookups of known ids are a map read. Closing closes its Kafka clients.
 */
public final class KafkaSchemaRegistry implements SchemaRegistryClient {

    public static final String SCHEME = "kafka://";
    public static final String DEFAULT_TOPIC = "_kelvin_schemas";

    private static final Logger log = LoggerFactory.getLogger(KafkaSchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Settings of the application's clients that must not leak into the registry's own. */
    private static final Set<String> NOT_INHERITED = Set.of(
            CommonClientConfigs.CLIENT_ID_CONFIG, CommonClientConfigs.GROUP_ID_CONFIG, CommonClientConfigs.GROUP_INSTANCE_ID_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.PARTITIONER_CLASS_CONFIG, ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, ProducerConfig.ACKS_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG);

    private final String url;
    private final String topic;
    private final String bootstrapServers;
    private final Map<String, Object> clientSettings;
    private final short replicationFactor;
    private final Duration timeout;
    private final TopicPartition partition;

    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<Integer, String> canonicalFormsById = new ConcurrentHashMap<>();

    /** Guards the Kafka clients and the topic flag: lookups that miss and registrations are rare. */
    private final Object io = new Object();
    private Producer<String, String> producer;
    private Consumer<String, String> consumer;
    private boolean topicCreated;
    private boolean closed;

    /**
     * @param url               {@code kafka://HOST:PORT[,HOST:PORT]/TOPIC}
     * @param clientSettings    Kafka client settings (SASL, TLS, ...); bootstrap servers come from the URL
     * @param replicationFactor replication factor of the topic when this client creates it; -1 for the broker's default
     * @param timeout           bound of each registration and of each read to the end of the topic
     * @throws IllegalArgumentException when the URL is malformed
     */
    public KafkaSchemaRegistry(String url, Map<String, ?> clientSettings, short replicationFactor, Duration timeout) {
        Location location = parse(url);
        this.url = url;
        this.topic = location.topic();
        this.bootstrapServers = location.bootstrapServers();
        this.clientSettings = Map.copyOf(clientSettings);
        this.replicationFactor = replicationFactor;
        this.timeout = timeout;
        this.partition = new TopicPartition(topic, 0);
    }

    /** The registry that {@code kelvin.schema.registry.url} (a {@code kafka://} URL) names. */
    public static KafkaSchemaRegistry open(KelvinConfig config) {
        return new KafkaSchemaRegistry(
                config.getString(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG),
                config.clientSettings(),
                config.getShort(KelvinConfig.TOPIC_REPLICATION_FACTOR_CONFIG),
                Duration.ofMillis(config.getInt(KelvinConfig.SCHEMA_REGISTRY_TIMEOUT_MS_CONFIG)));
    }

    /** Where a {@code kafka://} URL points. */
    public record Location(String bootstrapServers, String topic) {}

    /**
     * Parses {@code kafka://HOST:PORT[,HOST:PORT]/TOPIC}; an empty path means {@value #DEFAULT_TOPIC}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Location parse(String url) {
        if (url == null || !url.startsWith(SCHEME)) {
            throw new IllegalArgumentException("Not a kafka:// schema registry URL: " + url);
        }
        String rest = url.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String servers = slash < 0 ? rest : rest.substring(0, slash);
        String topic = slash < 0 ? "" : rest.substring(slash + 1);
        if (topic.isEmpty()) {
            topic = DEFAULT_TOPIC;
        }
        for (String server : servers.split(",", -1)) {
            int colon = server.lastIndexOf(':');
            if (colon <= 0 || colon == server.length() - 1 || !server.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("Schema registry URL " + url + ": '" + server
                        + "' is not HOST:PORT (expected kafka://HOST:PORT[,HOST:PORT]/TOPIC)");
            }
        }
        try {
            Topic.validate(topic);
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException("Schema registry URL " + url + ": " + e.getMessage(), e);
        }
        return new Location(servers, topic);
    }

    /** The id every client gives {@code schema}: its canonical fingerprint folded to a positive int. */
    public static int idOf(Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        return (int) (fingerprint ^ (fingerprint >>> 32)) & Integer.MAX_VALUE;
    }

    /** The topic the schemas live in. */
    public String topic() {
        return topic;
    }

    @Override
    public int register(String subject, Schema schema) {
        String canonical = SchemaNormalization.toParsingForm(schema);
        int id = idOf(schema);
        if (isKnown(id, canonical, schema)) {
            return id;
        }
        synchronized (io) {
            ensureOpen();
            long deadline = System.nanoTime() + timeout.toNanos();
            ensureTopic(deadline);
            // Another process may have registered it (or a colliding schema) since we last looked.
            readToEnd(deadline);
            if (isKnown(id, canonical, schema)) {
                return id;
            }
            write(id, subject, schema, deadline);
            remember(id, schema, canonical);
            log.debug("Registered schema {} as id {} under {} in {}", schema.getFullName(), id, subject, url);
            return id;
        }
    }

    @Override
    public Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema != null) {
            return schema;
        }
        synchronized (io) {
            ensureOpen();
            readToEnd(System.nanoTime() + timeout.toNanos());
            schema = schemasById.get(id);
            if (schema == null) {
                throw new SchemaRegistryException("Schema id " + id + " is not registered in " + url + " (topic " + topic
                        + " holds " + schemasById.size() + " schema(s)); the record was written with another registry, or its"
                        + " schema topic was deleted", 404, 40403, null);
            }
            return schema;
        }
    }

    @Override
    public void close() {
        synchronized (io) {
            closed = true;
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
            if (consumer != null) {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
                consumer = null;
            }
        }
    }

    /** True when {@code id} is known with the same canonical form; throws on a collision. */
    private boolean isKnown(int id, String canonical, Schema schema) {
        String known = canonicalFormsById.get(id);
        if (known == null) {
            return false;
        }
        if (!known.equals(canonical)) {
            throw new SchemaRegistryException("Schema id collision in " + url + ": " + schema.getFullName()
                    + " has id " + id + ", which " + schemasById.get(id).getFullName() + " (a different schema) already has."
                    + " Ids are fingerprints, so both cannot be registered here; change one of the schemas (for example its"
                    + " namespace)");
        }
        return true;
    }

    private void remember(int id, Schema schema, String canonical) {
        String previous = canonicalFormsById.putIfAbsent(id, canonical);
        if (previous == null) {
            schemasById.put(id, schema);
        } else if (!previous.equals(canonical)) {
            log.error("Schema id collision in {}: {} has id {}, already taken by a different schema; keeping the first",
                    url, schema.getFullName(), id);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new SchemaRegistryException("Schema registry " + url + " is closed");
        }
    }

    /** Creates the topic unless it exists; once per client, on the first registration. */
    private void ensureTopic(long deadline) {
        if (topicCreated) {
            return;
        }
        Map<String, Object> settings = settingsFor(AdminClientConfig.configNames());
        NewTopic newTopic = new NewTopic(topic, Optional.of(1),
                replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor))
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = Admin.create(settings)) {
            admin.createTopics(List.of(newTopic), new CreateTopicsOptions().timeoutMs(remainingMs(deadline)))
                    .all().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                String message = "Cannot create the schema topic " + topic + " on " + bootstrapServers + ": " + e.getCause().getMessage();
                throw e.getCause() instanceof RetriableException
                        ? new SchemaRegistryUnavailableException(message, e.getCause())
                        : new SchemaRegistryException(message, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new SchemaRegistryUnavailableException("Cannot create the schema topic " + topic + " on " + bootstrapServers
                    + ": no answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("Interrupted while creating the schema topic " + topic, e);
        } catch (KafkaException e) {
            throw failure("Cannot create the schema topic " + topic + " on " + bootstrapServers + ": " + e.getMessage(), e);
        }
        topicCreated = true;
    }

    private void write(int id, String subject, Schema schema, long deadline) {
        ObjectNode value = JSON.createObjectNode()
                .put("id", id)
                .put("subject", subject)
                .put("schema", schema.toString());
        try {
            producer().send(new ProducerRecord<>(topic, 0, String.valueOf(id), value.toString()))
                    .get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            String message = "Cannot register schema " + schema.getFullName() + " in " + url + ": " + e.getCause().getMessage();
            throw e.getCause() instanceof RetriableException
                    ? new SchemaRegistryUnavailableException(message, e.getCause())
                    : new SchemaRegistryException(message, e.getCause());
        } catch (TimeoutException e) {
            throw new SchemaRegistryUnavailableException("Cannot register schema " + schema.getFullName() + " in " + url
                    + ": the broker did not acknowledge it within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("Interrupted while registering schema " + schema.getFullName(), e);
        } catch (KafkaException e) {
            throw failure("Cannot register schema " + schema.getFullName() + " in " + url + ": " + e.getMessage(), e);
        }
    }

    /** Reads every schema record from where the last read stopped to the current end of the topic. */
    private void readToEnd(long deadline) {
        try {
            Consumer<String, String> c = consumer();
            if (c.assignment().isEmpty()) {
                List<PartitionInfo> partitions = c.partitionsFor(topic, Duration.ofMillis(remainingMs(deadline)));
                if (partitions == null || partitions.isEmpty()) {
                    return; // No topic yet: nothing was ever registered.
                }
                c.assign(List.of(partition));
                c.seekToBeginning(List.of(partition));
            }
            long end = c.endOffsets(List.of(partition), Duration.ofMillis(remainingMs(deadline))).get(partition);
            while (c.position(partition, Duration.ofMillis(remainingMs(deadline))) < end) {
                if (System.nanoTime() - deadline > 0) {
                    throw new SchemaRegistryUnavailableException("Cannot read the schema topic " + topic + " on " + bootstrapServers
                            + " to its end (offset " + end + ") within " + timeout.toMillis() + " ms", null);
                }
                for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(Math.min(500, remainingMs(deadline))))) {
                    accept(record);
                }
            }
        } catch (KafkaException e) {
            throw failure("Cannot read the schema topic " + topic + " on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /** A client error: the registry is unavailable when Kafka says that retrying may succeed (a timeout, say). */
    private static SchemaRegistryException failure(String message, KafkaException e) {
        return e instanceof RetriableException
                ? new SchemaRegistryUnavailableException(message, e)
                : new SchemaRegistryException(message, e);
    }

    private void accept(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return; // A tombstone; ids stay valid for data already written with them.
        }
        try {
            JsonNode value = JSON.readTree(record.value());
            int id = value.path("id").asInt(-1);
            Schema schema = new Schema.Parser().parse(value.path("schema").asText());
            if (idOf(schema) != id) {
                log.warn("Ignoring record at offset {} of schema topic {}: id {} is not its schema's fingerprint id {}",
                        record.offset(), topic, id, idOf(schema));
                return;
            }
            remember(id, schema, SchemaNormalization.toParsingForm(schema));
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring unreadable record at offset {} of schema topic {}: {}", record.offset(), topic, e.toString());
        }
    }

    private Producer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> settings = settingsFor(ProducerConfig.configNames());
            settings.put(ProducerConfig.ACKS_CONFIG, "all");
            settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
            producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private Consumer<String, String> consumer() {
        if (consumer == null) {
            Map<String, Object> settings = settingsFor(ConsumerConfig.configNames());
            settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
        }
        return consumer;
    }

    /** The application's settings that {@code known} (one client's config names) accepts, with the URL's servers. */
    private Map<String, Object> settingsFor(Set<String> known) {
        Map<String, Object> settings = new HashMap<>();
        clientSettings.forEach((k, v) -> {
            if (known.contains(k) && !NOT_INHERITED.contains(k)) {
                settings.put(k, v);
            }
        });
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return settings;
    }

    private static int remainingMs(long deadline) {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    @Override
    public String toString() {
        return "KafkaSchemaRegistry[" + url + "]";
    }
}
