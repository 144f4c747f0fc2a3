package io.kelvin.errors;

import io.kelvin.registry.SchemaRegistryUnavailableException;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that fails validation ({@link InvalidRecordException}) or any processing step goes to
 * the dead-letter topic with its source bytes and reason; the stream thread continues. An
 * unexpected exception is also logged with its stack trace, since it is a bug, not bad input.
 *
 * <p>One exception: a schema registry that cannot be asked (the broker behind a {@code kafka://}
 * registry is restarting, say) is no fault of the record. The task fails instead, so that under
 * exactly-once its transaction is aborted and the replaced stream thread processes the record
 * again from the last commit, once the registry answers.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (SchemaRegistryUnavailableException.isCauseOf(exception)) {
            // From a punctuator there is no source record: the task and processor say where.
            log.warn("Cannot process in {} of task {} (source {}-{}@{}) now: the schema registry cannot be asked ({}); failing"
                    + " the task to process it again", context.processorNodeId(), context.taskId(), context.topic(),
                    context.partition(), context.offset(), SchemaRegistryUnavailableException.messageOf(exception));
            return Response.fail();
        }
        DeadLetterReason reason;
        if (exception instanceof InvalidRecordException invalid) {
            reason = invalid.reason();
            log.debug("Dead-lettering {}-{}@{} ({}): {}", context.topic(), context.partition(), context.offset(), reason.code(), invalid.getMessage());
        } else {
            reason = DeadLetterReason.PROCESSING_ERROR;
            log.error("Processing failed in {} for {}-{}@{}; record dead-lettered", context.processorNodeId(),
                    context.topic(), context.partition(), context.offset(), exception);
        }
        return Response.resume(deadLetters.build(reason, context.sourceRawKey(), context.sourceRawValue(), context, exception));
    }
}
