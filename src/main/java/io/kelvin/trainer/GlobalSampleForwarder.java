package io.kelvin.trainer;

import io.kelvin.inference.ModelContract;
import io.kelvin.schema.Feedback;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forwards the {@link GlobalSample}'s rows of one feedback partition, re-keyed to {@value
 * ModelContract#GLOBAL_KEY}, toward the single-partition global-sample topic, each stamped with
 * its source partition and this task's stream time ({@link SourceWatermarks}). So that the pooled
 * task learns how far this partition has got even when no row is sampled, it also forwards
 * watermark-only heartbeats (null value): when stream time moved a tick past the last watermark
 * sent, and on every wall-clock tick once stream time is known or the partition is idle. The partition is
 * idle once it processed no record for {@code idleMs} of wall-clock time (punctuation times only).
 */
final class GlobalSampleForwarder implements Processor<String, Feedback, String, Feedback> {
    private final GlobalSample sample;
    private final long tickMs;
    private final long idleMs;

    private ProcessorContext<String, Feedback> context;
    private int partition;
    private long sentWatermark = Long.MIN_VALUE;
    private boolean sentIdle;
    private boolean progressed;
    private long lastProgressWallMs = -1;

    GlobalSampleForwarder(GlobalSample sample, long tickMs, long idleMs) {
        this.sample = sample;
        this.tickMs = tickMs;
        this.idleMs = idleMs;
    }

    @Override
    public void init(ProcessorContext<String, Feedback> context) {
        this.context = context;
        this.partition = context.taskId().partition(); // the task of feedback partition p is x_p
        context.schedule(Duration.ofMillis(tickMs), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
    }

    @Override
    public void process(Record<String, Feedback> record) {
        progressed = true;
        long watermark = context.currentStreamTimeMs();
        if (record.value() != null && sample.keeps(record.value())) {
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            context.forward(record.withKey(ModelContract.GLOBAL_KEY)
                    .withHeaders(SourceWatermarks.stamp(headers, partition, watermark, false)));
            sent(watermark, false);
        } else if (sentIdle || watermark - sentWatermark >= tickMs) {
            heartbeat(watermark, false);
        }
    }

    private void onWallClock(long nowMs) {
        if (progressed || lastProgressWallMs < 0) {
            lastProgressWallMs = nowMs;
            progressed = false;
        }
        boolean idle = nowMs - lastProgressWallMs >= idleMs;
        long watermark = context.currentStreamTimeMs();
        if (watermark >= 0 || idle) { // a partition not started and not idle has nothing to say: it is waited for anyway
            // Repeated every tick, changed or not: a pooled task restarted elsewhere learns it again.
            heartbeat(watermark, idle);
        }
    }

    private void heartbeat(long watermark, boolean idle) {
        // Stamped with the watermark itself (never negative: sinks refuse that), so the pooled
        // task's stream time moves with its sources' and no further.
        context.forward(new Record<String, Feedback>(ModelContract.GLOBAL_KEY, null, Math.max(0, watermark),
                SourceWatermarks.stamp(new RecordHeaders(), partition, watermark, idle)));
        sent(watermark, idle);
    }

    private void sent(long watermark, boolean idle) {
        sentWatermark = watermark;
        sentIdle = idle;
    }
}
