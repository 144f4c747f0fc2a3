package io.kelvin.errors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;

/**
 * Builds Kelvin's dead letters on Kafka Streams' own dead-letter queue (KIP-1034): the original
 * key and value bytes, Kafka's standard {@code __streams.errors.*} headers (exception, message,
 * source topic, partition, offset) and Kelvin's {@value #REASON_HEADER} header; and counts each
 * by reason. One instance per Kafka Streams client, shared by its handlers.
 */
public final class DeadLetters {

    /** Header with the {@link DeadLetterReason#code()}. */
    public static final String REASON_HEADER = "kelvin.reason";
    /** Kafka's header with the exception message (the human-readable cause). */
    public static final String MESSAGE_HEADER = ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_MESSAGE_NAME;
    /** Config key under which the instance reaches the handlers Kafka Streams creates. */
    public static final String INSTANCE_CONFIG = "kelvin.internal.dead.letters";
    public static final String METRIC = "kelvin.dead.letters";

    private final String topic;
    private final Map<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);

    public DeadLetters(String topic, MeterRegistry meters) {
        this.topic = topic;
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            counters.put(reason, Counter.builder(METRIC)
                    .description("Records sent to the dead-letter topic, by reason")
                    .tag("reason", reason.code())
                    .register(meters));
        }
    }

    public String topic() {
        return topic;
    }

    /** The dead letter of the record being handled, counted under {@code reason}. */
    List<ProducerRecord<byte[], byte[]>> build(DeadLetterReason reason, byte[] key, byte[] value,
                                               ErrorHandlerContext context, Exception cause) {
        List<ProducerRecord<byte[], byte[]>> records =
                ExceptionHandlerUtils.maybeBuildDeadLetterQueueRecords(topic, key, value, context, cause);
        records.forEach(r -> r.headers().add(REASON_HEADER, reason.code().getBytes(StandardCharsets.UTF_8)));
        counters.get(reason).increment();
        return records;
    }

    /** Total dead letters of {@code reason} so far. */
    public double count(DeadLetterReason reason) {
        return counters.get(reason).count();
    }

    static DeadLetters from(Map<String, ?> configs) {
        Object instance = configs.get(INSTANCE_CONFIG);
        if (!(instance instanceof DeadLetters deadLetters)) {
            throw new IllegalStateException(INSTANCE_CONFIG + " is not set: build the Streams settings with Kelvin's topology, not by hand");
        }
        if (!deadLetters.topic.equals(String.valueOf(configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)))) {
            throw new IllegalStateException("Dead-letter topic mismatch between Kelvin and " + StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        }
        return deadLetters;
    }
}
