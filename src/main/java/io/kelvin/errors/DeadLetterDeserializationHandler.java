package io.kelvin.errors;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Undecodable input goes to the dead-letter topic as it arrived, and processing continues. */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        log.debug("Dead-lettering undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), exception.getMessage());
        return Response.resume(deadLetters.build(DeadLetterReason.DESERIALIZATION_FAILED, record.key(), record.value(), context, exception));
    }
}
