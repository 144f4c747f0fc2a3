package io.kelvin.release;

import io.kelvin.schema.ModelRelease;
import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import io.kelvin.topics.TopicSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The history of {@code kelvin.models} as the command line sees it: every release still in the
 * log (compaction keeps at least the last week, see {@link TopicCatalogue}), and a way to append
 * one. Reads committed records only, from every partition, without a consumer group.
 */
public final class ReleaseLog {
    private final Topic<String, ModelRelease> topic;
    private final Map<String, Object> clientSettings;
    private final Duration timeout;

    /** A release (null for a tombstone) at its place in the log. */
    public record Entry(String key, ModelRelease release, int partition, long offset, long timestampMs) {
        public boolean withdrawn() {
            return release == null;
        }
    }

    public ReleaseLog(TopicCatalogue topics, Map<String, Object> clientSettings, Duration timeout) {
        this.topic = topics.models();
        this.clientSettings = clientSettings;
        this.timeout = timeout;
    }

    /**
     * Every entry in the log, oldest first within a key; a record whose value cannot be decoded is
     * skipped, not fatal (it would be rejected by the optimizer too).
     *
     * @throws IllegalArgumentException when the topic does not exist
     */
    public List<Entry> readAll() {
        Deserializer<String> keys = topic.keySerde().deserializer();
        Deserializer<ModelRelease> values = topic.valueSerde().deserializer();
        List<Entry> entries = new ArrayList<>();
        TopicSnapshot.read(topic.name(), clientSettings, timeout, r -> {
            String key = r.key() == null ? null : keys.deserialize(r.topic(), r.key());
            ModelRelease release;
            try {
                release = r.value() == null ? null : values.deserialize(r.topic(), r.value());
            } catch (RuntimeException e) {
                return;
            }
            entries.add(new Entry(key, release, r.partition(), r.offset(), r.timestamp()));
        });
        return entries;
    }

    /** The releases of {@code key} in log order, tombstones included. */
    public List<Entry> history(String key) {
        return readAll().stream().filter(e -> key.equals(e.key())).toList();
    }

    /** The latest entry of {@code key}, if any. */
    public Optional<Entry> latest(String key) {
        List<Entry> h = history(key);
        return h.isEmpty() ? Optional.empty() : Optional.of(h.get(h.size() - 1));
    }

    /** Appends {@code release} (null withdraws {@code key}'s model) and waits until it is written. */
    public RecordMetadata publish(String key, ModelRelease release) {
        Map<String, Object> settings = new java.util.HashMap<>(clientSettings);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicCatalogue.MODELS_MAX_MESSAGE_BYTES);
        try (KafkaProducer<String, ModelRelease> producer =
                     new KafkaProducer<>(settings, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            return producer.send(new ProducerRecord<>(topic.name(), key, release)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish to " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("publishing to " + topic.name() + " did not finish within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic.name(), e);
        }
    }
}
