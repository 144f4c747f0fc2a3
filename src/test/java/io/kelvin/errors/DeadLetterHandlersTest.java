package io.kelvin.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.registry.SchemaRegistryException;
import io.kelvin.registry.SchemaRegistryUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which failures the dead-letter handlers send to the dead-letter topic and which fail the task:
 * a record is dead-lettered for what is wrong with it, never because the schema registry could
 * not be asked at that moment (a broker restart), since a dead letter takes it out of the stream.
 */
class DeadLetterHandlersTest {
    private static final String TOPIC = "kelvin.dead-letters";
    private static final byte[] KEY = "b1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {0, 0, 0, 0, 7, 1, 2};

    private DeadLetters deadLetters;
    private final DeadLetterProcessingHandler processing = new DeadLetterProcessingHandler();
    private final DeadLetterDeserializationHandler deserialization = new DeadLetterDeserializationHandler();

    @BeforeEach
    void configure() {
        deadLetters = new DeadLetters(TOPIC, new SimpleMeterRegistry());
        Map<String, Object> configs = Map.of(DeadLetters.INSTANCE_CONFIG, deadLetters,
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, TOPIC);
        processing.configure(configs);
        deserialization.configure(configs);
    }

    @Test
    void shouldFailTheTaskWithoutADeadLetterWhenASinkCannotRegisterItsSchemaBecauseTheRegistryIsUnavailable() {
        // As Kafka Streams hands it over when a sink's serializer throws: wrapped twice.
        Exception exception = new StreamsException("Unable to serialize record",
                new SerializationException("Cannot serialize io.kelvin.schema.Feedback for topic kelvin.feedback",
                        new SchemaRegistryUnavailableException("the broker did not acknowledge it within 10000 ms", new TimeoutException())));

        ProcessingExceptionHandler.Response response = processing.handleError(context(), new Record<>("b1", "v", 0L), exception);

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
        assertThat(deadLetters.count(DeadLetterReason.PROCESSING_ERROR)).isZero();
    }

    @Test
    void shouldStillDeadLetterAProcessingErrorThatIsNotAnUnavailableRegistry() {
        Exception exception = new StreamsException("Unable to serialize record",
                new SerializationException("Cannot serialize", new SchemaRegistryException("Schema id collision")));

        ProcessingExceptionHandler.Response response = processing.handleError(context(), new Record<>("b1", "v", 0L), exception);

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement()
                .satisfies(r -> assertThat(r.topic()).isEqualTo(TOPIC));
        assertThat(deadLetters.count(DeadLetterReason.PROCESSING_ERROR)).isEqualTo(1.0);
    }

    @Test
    void shouldFailTheTaskWithoutADeadLetterWhenAReadingCannotBeDecodedBecauseTheRegistryIsUnavailable() {
        Exception exception = new SerializationException("Cannot deserialize from topic kelvin.readings: cannot fetch schema id 7",
                new SchemaRegistryUnavailableException("Cannot read the schema topic _kelvin_schemas to its end within 10000 ms", null));

        DeserializationExceptionHandler.Response response = deserialization.handleError(context(), reading(), exception);

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
        assertThat(deadLetters.count(DeadLetterReason.DESERIALIZATION_FAILED)).isZero();
    }

    @Test
    void shouldStillDeadLetterAReadingWhoseSchemaIdIsUnknown() {
        Exception exception = new SerializationException("Cannot deserialize from topic kelvin.readings: unknown schema id 7",
                new SchemaRegistryException("Schema id 7 is not registered", 404, 40403, null));

        DeserializationExceptionHandler.Response response = deserialization.handleError(context(), reading(), exception);

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(VALUE));
        assertThat(deadLetters.count(DeadLetterReason.DESERIALIZATION_FAILED)).isEqualTo(1.0);
    }

    private static ConsumerRecord<byte[], byte[]> reading() {
        return new ConsumerRecord<>("kelvin.readings", 2, 640L, KEY, VALUE);
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return "kelvin.readings";
            }

            @Override
            public int partition() {
                return 2;
            }

            @Override
            public long offset() {
                return 640L;
            }

            @Override
            public Headers headers() {
                return new RecordHeaders();
            }

            @Override
            public String processorNodeId() {
                return "kelvin-as-feedback";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, 2);
            }

            @Override
            public long timestamp() {
                return 0L;
            }

            @Override
            public byte[] sourceRawKey() {
                return KEY;
            }

            @Override
            public byte[] sourceRawValue() {
                return VALUE;
            }
        };
    }
}
