package io.kelvin.broker;

import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates Kelvin's topics: every topic of a {@link TopicCatalogue} with the catalogue's
 * partitions and replication factor, {@code cleanup.policy=compact} for compacted topics, and
 * each topic's own settings (retention that keeps simulated history, message size of models).
 *
 * <p>Idempotent: a topic that exists already is left exactly as it is (its partitions and
 * settings are not checked or changed). {@link #createMissing} returns only once every topic of
 * the catalogue has a leader for each partition, so a Kafka Streams application started next
 * does not find its source topics missing; it throws {@link IllegalStateException} naming the
 * topic and the broker's reason when that does not happen within the timeout.
 *
 * <p>The caller owns the {@link Admin} client.
 */
public final class TopicProvisioner {

    private static final long POLL_MS = 100;

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** What {@link #createMissing} did. */
    public record Result(List<String> created, List<String> existing) {
        public Result {
            created = List.copyOf(created);
            existing = List.copyOf(existing);
        }
    }

    /**
     * Creates the catalogue's topics that do not exist yet and waits until all of them are ready.
     *
     * @throws IllegalStateException when a topic cannot be created or does not become ready in time
     */
    public Result createMissing(TopicCatalogue catalogue) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, NewTopic> wanted = new LinkedHashMap<>();
        for (Topic<?, ?> topic : catalogue.all()) {
            wanted.put(topic.name(), newTopic(topic, catalogue.partitions(), catalogue.replicationFactor()));
        }
        Map<String, KafkaFuture<Void>> results = admin.createTopics(wanted.values(),
                new CreateTopicsOptions().timeoutMs(remainingMs(deadline))).values();
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            String name = result.getKey();
            try {
                result.getValue().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                created.add(name);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    existing.add(name);
                } else {
                    throw cannotCreate(wanted.get(name), e.getCause());
                }
            } catch (TimeoutException e) {
                throw cannotCreate(wanted.get(name), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topic " + name, e);
            }
        }
        awaitLeaders(List.copyOf(wanted.keySet()), deadline);
        return new Result(created, existing);
    }

    /** The creation request for {@code topic}; {@code replicationFactor} -1 takes the broker's default. */
    public static NewTopic newTopic(Topic<?, ?> topic, int partitions, short replicationFactor) {
        Map<String, String> configs = new HashMap<>(topic.topicConfigs());
        if (topic.compacted()) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        Optional<Short> replicas = replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor);
        return new NewTopic(topic.name(), Optional.of(partitions), replicas).configs(configs);
    }

    /**
     * A created topic reaches the broker's metadata a moment after the controller commits it;
     * wait until every partition has a leader.
     */
    private void awaitLeaders(List<String> names, long deadline) {
        Throwable lastError = null;
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names,
                        new DescribeTopicsOptions().timeoutMs(remainingMs(deadline))).allTopicNames().get();
                boolean ready = descriptions.values().stream()
                        .allMatch(d -> !d.partitions().isEmpty() && d.partitions().stream().allMatch(p -> p.leader() != null));
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Cannot describe topics " + names + ": " + e.getCause().getMessage(), e.getCause());
                }
                lastError = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + names, e);
            }
            if (remainingMs(deadline) <= 1) {
                throw new IllegalStateException("Topics " + names + " did not get a leader for every partition within "
                        + timeout.toSeconds() + " s" + (lastError == null ? "" : " (" + lastError.getMessage() + ")"));
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + names, e);
            }
        }
    }

    private IllegalStateException cannotCreate(NewTopic topic, Throwable cause) {
        String reason = cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException
                ? "no answer within " + timeout.toSeconds() + " s"
                : cause.getMessage();
        return new IllegalStateException("Cannot create topic " + topic.name() + " (" + topic.numPartitions() + " partitions, "
                + topic.configs() + "): " + reason, cause);
    }

    private static int remainingMs(long deadline) {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }
}
