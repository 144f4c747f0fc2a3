package io.kelvin.trainer;

import io.kelvin.inference.ModelContract;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Feedback;
import io.kelvin.schema.TrainingReport;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps feedback rows per model key and retrains each key once per local day, by stream time.
 * One instance serves either every building of its task (the model key is the building id) or
 * the pooled sample (every row under {@value ModelContract#GLOBAL_KEY}).
 *
 * <p>Guarantees, all under exactly-once (stores, outputs and offsets commit together):
 * <ul>
 *   <li><b>Retention.</b> A row older than {@code history days + 2} of stream time is deleted when
 *       its key's next row arrives. Training reads only the last {@code history days}.</li>
 *   <li><b>Pooled sample size.</b> The pooled store keeps at most {@code maxRows} rows, thinned
 *       evenly over its whole history: a row is kept while its {@link GlobalSample#hash} lies
 *       below a threshold, and when the store overflows the threshold is halved and every row
 *       above it dropped. Dropping the oldest instead would leave a large fleet's pooled model
 *       with less history than a training needs (20,000 rows are 1.4 days of 100 buildings).</li>
 *   <li><b>Schedule.</b> A key is due for local day {@code D} once stream time passes {@code D}
 *       at the training hour in the building's time zone (its profile; UTC without one, and for
 *       the pooled model). Dueness is checked on every row and on every stream-time tick; due
 *       keys wait in a changelogged queue. A key first seen on day {@code D} is first trained on
 *       {@code D+1}. When stream time jumps several days, the key is trained once, for the latest
 *       due day.</li>
 *   <li><b>Bounded work.</b> A punctuation (every tick of stream time, and of wall-clock time so
 *       a queue drains while input is quiet) trains at most {@code maxModelsPerTick} keys and
 *       starts none after {@code tickBudget} of wall-clock time; the rest stay queued.</li>
 *   <li><b>Pooled: every partition first.</b> The pooled instance's stream time is not its own
 *       but {@link SourceWatermarks#globalWatermark}: the least stream time of all upstream
 *       feedback partitions (idle ones aside, at most {@code maxLagMs} behind the most advanced),
 *       kept per partition in a changelogged store from the headers of the sampled rows and
 *       heartbeats. So a day's pooled training waits until every partition has delivered its
 *       rows, also when partitions are replayed at different speeds.</li>
 *   <li><b>Neither skipped nor repeated.</b> The last trained day per key is stored with the
 *       report and release; a restart resumes the queue and never trains a key twice for a day.</li>
 * </ul>
 */
final class ModelTrainer implements Processor<String, Feedback, String, SpecificRecord> {
    private static final Logger log = LoggerFactory.getLogger(ModelTrainer.class);
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final String COUNT_KEY = "rows";
    /** Key of the pooled sample's hash threshold in the row-count store (absent: every row kept). */
    private static final String THRESHOLD_KEY = "threshold";

    /** Names of the stores this instance owns; {@code rowCount} and {@code watermarks} only when pooled. */
    record Stores(String rows, String lastTrained, String due, String rowCount, String watermarks) {}

    private final boolean pooled;
    private final Stores storeNames;
    private final String profilesStore;
    private final TrainingSchedule schedule;
    private final ModelTraining training;
    private final TrainerMetrics metrics;
    private final Clock wallClock;
    private final int historyDays;
    private final int maxRows;
    private final int maxModelsPerTick;
    private final long tickBudgetMs;
    private final long tickMs;
    private final int sourcePartitions;
    private final long maxLagMs;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Feedback> rows;
    private KeyValueStore<String, Integer> lastTrained;
    private KeyValueStore<String, Integer> due;
    private KeyValueStore<String, Long> rowCount;
    private TimestampedKeyValueStore<String, BuildingProfile> profiles;
    private KeyValueStore<Integer, SourceWatermarks.Mark> watermarks;
    /** The watermark store's contents (a few entries), read on every record. */
    private final Map<Integer, SourceWatermarks.Mark> marks = new TreeMap<>();
    /**
     * Per model key, the decision time of its oldest kept row (max long when it has none): a cache
     * of the rows store, filled on first use after {@link #init}. Retention and the pooled
     * sample's thinning scan from there, past the rows deleted before: RocksDB keeps a deleted
     * key's tombstone until compaction and steps over every one of them on each scan that starts
     * below it, which made a full pooled store cost a scan of all rows ever dropped on every
     * sampled row.
     */
    private final Map<String, Long> oldestMs = new HashMap<>();
    private long nextGlobalTickMs = Long.MIN_VALUE;

    ModelTrainer(boolean pooled, Stores storeNames, String profilesStore, TrainingSchedule schedule, ModelTraining training,
                 TrainerMetrics metrics, Clock wallClock, int historyDays, int maxRows, int maxModelsPerTick,
                 long tickBudgetMs, long tickMs, int sourcePartitions, long maxLagMs) {
        this.pooled = pooled;
        this.storeNames = storeNames;
        this.profilesStore = profilesStore;
        this.schedule = schedule;
        this.training = training;
        this.metrics = metrics;
        this.wallClock = wallClock;
        this.historyDays = historyDays;
        this.maxRows = maxRows;
        this.maxModelsPerTick = maxModelsPerTick;
        this.tickBudgetMs = tickBudgetMs;
        this.tickMs = tickMs;
        this.sourcePartitions = sourcePartitions;
        this.maxLagMs = maxLagMs;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.rows = context.getStateStore(storeNames.rows());
        this.lastTrained = context.getStateStore(storeNames.lastTrained());
        this.due = context.getStateStore(storeNames.due());
        this.rowCount = pooled ? context.getStateStore(storeNames.rowCount()) : null;
        oldestMs.clear();
        this.profiles = pooled ? null : context.getStateStore(profilesStore);
        if (pooled) {
            this.watermarks = context.getStateStore(storeNames.watermarks());
            marks.clear();
            try (KeyValueIterator<Integer, SourceWatermarks.Mark> it = watermarks.all()) {
                // After a restart every partition is waited for again until it reports itself idle:
                // one idle before may now hold a backlog.
                it.forEachRemaining(kv -> marks.put(kv.key, new SourceWatermarks.Mark(kv.value.watermarkMs(), false)));
            }
        }
        context.schedule(Duration.ofMillis(tickMs), PunctuationType.STREAM_TIME, this::onStreamTime);
        context.schedule(Duration.ofMillis(tickMs), PunctuationType.WALL_CLOCK_TIME, now -> trainQueued());
    }

    @Override
    public void process(Record<String, Feedback> record) {
        if (pooled) {
            observeWatermark(record);
        }
        Feedback feedback = record.value();
        if (feedback == null || record.key() == null) {
            if (pooled) {
                onGlobalTime(); // a heartbeat: it may make the pooled model due
            }
            return; // the optimizer never writes these; a tombstone carries nothing to learn from
        }
        String modelKey = pooled ? ModelContract.GLOBAL_KEY : record.key();
        long now = pooled ? globalWatermark() : Math.max(context.currentStreamTimeMs(), record.timestamp());
        long threshold = pooled ? threshold() : GlobalSample.HASH_RANGE;
        if (!pooled || GlobalSample.hash(feedback) < threshold) {
            long decidedAtMs = RowKeys.clamp(feedback.getDecidedAt().toEpochMilli());
            String rowKey = RowKeys.of(modelKey, decidedAtMs, feedback.getBuildingId().toString());
            boolean added = pooled && rows.get(rowKey) == null; // only the pooled store counts its rows
            rows.put(rowKey, feedback);
            oldestMs.computeIfPresent(modelKey, (key, oldest) -> Math.min(oldest, decidedAtMs));
            if (added) {
                countAndThin(threshold);
            }
        }
        deleteRowsBefore(modelKey, now - (historyDays + 2L) * DAY_MS);
        checkDue(modelKey, now);
        if (pooled) {
            onGlobalTime();
        }
    }

    /**
     * The pooled model's stream-time punctuation, driven by the global watermark (which can
     * advance while this task's own stream time stands still: a slow partition catching up):
     * every tick it crosses, the due days are checked and the queue is trained.
     */
    private void onGlobalTime() {
        long global = globalWatermark();
        if (global >= 0 && global >= nextGlobalTickMs) {
            nextGlobalTickMs = global - global % tickMs + tickMs;
            onStreamTime(global); // pooled: by the global watermark
        }
    }

    private void onStreamTime(long streamTime) {
        if (pooled) {
            checkDue(ModelContract.GLOBAL_KEY, globalWatermark()); // also before the first row: a heartbeat may be first
        } else {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, Integer> it = lastTrained.all()) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
            keys.forEach(key -> checkDue(key, streamTime));
        }
        trainQueued();
    }

    private void checkDue(String modelKey, long now) {
        if (now < 0) {
            return; // the pooled model's sources have not all reported yet
        }
        int dueDay = (int) schedule.dueDay(now, zoneOf(modelKey)).toEpochDay();
        Integer last = lastTrained.get(modelKey);
        if (last == null) {
            // Rows start today: the first training is the next local day's. The pooled model's
            // rows may have waited for the slowest partition: they start with the earliest kept.
            int firstDay = pooled ? (int) schedule.dueDay(Math.min(now, earliestRowMs()), zoneOf(modelKey)).toEpochDay() : dueDay;
            lastTrained.put(modelKey, firstDay);
            last = firstDay;
        }
        Integer queued = due.get(modelKey);
        if (dueDay > last && (queued == null || queued < dueDay)) {
            due.put(modelKey, dueDay);
        }
    }

    /** Trains queued keys until the per-tick count or wall-clock budget is spent. */
    private void trainQueued() {
        long started = wallClock.millis();
        List<KeyValue<String, Integer>> batch = new ArrayList<>();
        try (KeyValueIterator<String, Integer> it = due.all()) {
            while (it.hasNext() && batch.size() < maxModelsPerTick) {
                batch.add(it.next());
            }
        }
        for (KeyValue<String, Integer> next : batch) {
            if (wallClock.millis() - started >= tickBudgetMs) {
                break; // the rest waits for the next tick: a stream thread must keep polling
            }
            train(next.key, next.value);
        }
        metrics.queued(pooled, countQueued());
    }

    private void train(String modelKey, int epochDay) {
        Integer last = lastTrained.get(modelKey);
        if (last != null && last >= epochDay) {
            due.delete(modelKey);
            return;
        }
        ZoneId zone = zoneOf(modelKey);
        LocalDate day = LocalDate.ofEpochDay(epochDay);
        List<Feedback> history = new ArrayList<>();
        long from = TrainingSchedule.startOf(day.minusDays(historyDays), zone);
        long to = TrainingSchedule.startOf(day, zone);
        try (KeyValueIterator<String, Feedback> it = rows.range(RowKeys.from(modelKey, from), RowKeys.from(modelKey, to))) {
            it.forEachRemaining(kv -> history.add(kv.value));
        }
        long now = context.currentStreamTimeMs();
        ModelTraining.Outcome outcome = training.train(modelKey, day, zone, history, now);
        TrainingReport report = outcome.report();
        log.info("Trained {} for {}: {} ({})", modelKey, day, report.getDecision(), report.getReason());
        metrics.trained(pooled, report.getDecision(), report.getDurationMs());
        if (outcome.release() != null) {
            context.forward(new Record<>(modelKey, outcome.release(), now));
        }
        context.forward(new Record<>(modelKey, report, now));
        lastTrained.put(modelKey, epochDay);
        due.delete(modelKey);
    }

    /** Keeps the source partition's watermark of a stamped global-sample record. */
    private void observeWatermark(Record<String, Feedback> record) {
        int partition = SourceWatermarks.partitionOf(record.headers());
        if (partition < 0) {
            return;
        }
        SourceWatermarks.Mark mark = SourceWatermarks.markOf(record.headers());
        SourceWatermarks.Mark known = marks.get(partition);
        if (known != null && known.idle() == mark.idle() && known.watermarkMs() >= mark.watermarkMs()) {
            return; // nothing new (a source's stream time never goes back; a redelivery may)
        }
        if (known != null && known.watermarkMs() > mark.watermarkMs()) {
            mark = new SourceWatermarks.Mark(known.watermarkMs(), mark.idle());
        }
        marks.put(partition, mark);
        watermarks.put(partition, mark);
    }

    /** When the earliest pooled row was emitted (its observed window's end), or max long without rows. */
    private long earliestRowMs() {
        try (KeyValueIterator<String, Feedback> it = rows.prefixScan(RowKeys.prefix(ModelContract.GLOBAL_KEY), new StringSerializer())) {
            return it.hasNext() ? it.next().value.getObservedWindowEnd().toEpochMilli() : Long.MAX_VALUE;
        }
    }

    private long globalWatermark() {
        return SourceWatermarks.globalWatermark(marks, sourcePartitions, maxLagMs);
    }

    private void deleteRowsBefore(String modelKey, long cutoffMs) {
        long oldest = oldestMs(modelKey);
        if (oldest >= cutoffMs) {
            return; // nothing to delete: the common case, without touching the store
        }
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Feedback> it = rows.range(RowKeys.from(modelKey, oldest), RowKeys.from(modelKey, cutoffMs))) {
            it.forEachRemaining(kv -> old.add(kv.key));
        }
        old.forEach(rows::delete);
        oldestMs.put(modelKey, firstRowMs(modelKey, cutoffMs));
        if (pooled && !old.isEmpty()) {
            rowCount.put(COUNT_KEY, Math.max(0, count() - old.size()));
        }
    }

    /**
     * Counts a row added to the pooled store and, while it holds more than {@code maxRows}, halves
     * the sample's hash threshold, {@code before} until now.
     */
    private void countAndThin(long before) {
        long count = count() + 1;
        long threshold = before;
        while (count > maxRows && threshold > 1) {
            threshold /= 2;
            List<String> dropped = new ArrayList<>();
            String key = ModelContract.GLOBAL_KEY;
            try (KeyValueIterator<String, Feedback> it = rows.range(RowKeys.from(key, oldestMs(key)), RowKeys.end(key))) {
                while (it.hasNext()) {
                    KeyValue<String, Feedback> row = it.next();
                    if (GlobalSample.hash(row.value) >= threshold) {
                        dropped.add(row.key);
                    }
                }
            }
            dropped.forEach(rows::delete);
            count -= dropped.size();
            oldestMs.remove(key); // found again on next use
            log.info("Pooled sample held more than {} rows: thinned to {} (hash threshold {} of 2^32)", maxRows, count, threshold);
        }
        if (threshold != before) {
            rowCount.put(THRESHOLD_KEY, threshold);
        }
        rowCount.put(COUNT_KEY, count);
    }

    /** The pooled sample's hash threshold: rows hashing at or above it are not kept. */
    private long threshold() {
        Long threshold = rowCount.get(THRESHOLD_KEY);
        return threshold == null ? GlobalSample.HASH_RANGE : threshold;
    }

    private long oldestMs(String modelKey) {
        return oldestMs.computeIfAbsent(modelKey, key -> firstRowMs(key, 0));
    }

    /** The decision time of {@code modelKey}'s first row decided at or after {@code fromMs}, or max long. */
    private long firstRowMs(String modelKey, long fromMs) {
        try (KeyValueIterator<String, Feedback> it = rows.range(RowKeys.from(modelKey, fromMs), RowKeys.end(modelKey))) {
            return it.hasNext() ? RowKeys.decidedAtOf(modelKey, it.peekNextKey()) : Long.MAX_VALUE;
        }
    }

    private long count() {
        Long count = rowCount.get(COUNT_KEY);
        return count == null ? 0 : count;
    }

    private long countQueued() {
        long n = 0;
        try (KeyValueIterator<String, Integer> it = due.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private ZoneId zoneOf(String modelKey) {
        if (pooled) {
            return ZoneOffset.UTC;
        }
        ValueAndTimestamp<BuildingProfile> profile = profiles.get(modelKey);
        if (profile == null || profile.value() == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(profile.value().getTimeZone().toString());
        } catch (DateTimeException e) {
            return ZoneOffset.UTC; // an unknown zone id: train on UTC days rather than never
        }
    }
}
