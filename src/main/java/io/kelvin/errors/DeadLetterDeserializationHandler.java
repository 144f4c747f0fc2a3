package io.kelvin.errors;

import io.kelvin.registry.SchemaRegistryUnavailableException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undecodable input goes to the dead-letter topic as it arrived, and processing continues. A
 * record that could not be decoded only because the schema registry cannot be asked right now
 * fails the task instead, to be read again once the registry answers (see
 * {@link DeadLetterProcessingHandler}).
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (SchemaRegistryUnavailableException.isCauseOf(exception)) {
            log.warn("Cannot decode {}-{}@{} now: the schema registry cannot be asked ({}); failing the task to read it again",
                    record.topic(), record.partition(), record.offset(), SchemaRegistryUnavailableException.messageOf(exception));
            return Response.fail();
        }
        log.debug("Dead-lettering undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), exception.getMessage());
        return Response.resume(deadLetters.build(DeadLetterReason.DESERIALIZATION_FAILED, record.key(), record.value(), context, exception));
    }
}
