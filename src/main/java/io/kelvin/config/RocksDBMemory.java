package io.kelvin.config;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of an application's RocksDB stores ({@code rocksdb.config.setter}).
 * Every store of one {@code application.id} in this JVM shares one LRU block cache of {@value
 * KelvinConfig#ROCKSDB_MEMORY_BYTES_CONFIG} bytes; their memtables are charged to that cache by one
 * {@link WriteBufferManager}, which flushes the largest memtable once they hold {@value
 * KelvinConfig#ROCKSDB_MEMTABLE_FRACTION_CONFIG} of it; and index and filter blocks live in the
 * cache too (at high priority) instead of beside it, per open file.
 *
 * <p>Without it each store has Kafka Streams' defaults: a 50 MiB block cache of its own and up to
 * three 16 MiB memtables, and an optimizer task opens four RocksDB instances (two live window
 * segments, decisions, pending windows), so the memory a pod needs grows with the tasks it holds.
 * The bound is RocksDB's and soft: blocks in use and the memtable being written may pass it for a
 * moment (by 7-10 % in {@code RocksDBMemoryTest}).
 *
 * <p>Kafka Streams instantiates this class for every store and closes it with the store; the
 * shared cache and write-buffer manager live as long as the JVM (closing them while another
 * store uses them would crash it).
 */
public final class RocksDBMemory implements RocksDBConfigSetter {
    /** Share of the cache for index and filter blocks (high priority): data blocks are evicted before them. */
    private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;
    private static final ConcurrentMap<String, Budget> BUDGETS = new ConcurrentHashMap<>();

    /** The shared cache and write-buffer manager of one application. */
    public static final class Budget {
        private final long limitBytes;
        private final double memtableFraction;
        private final Cache cache;
        private final WriteBufferManager writeBuffers;

        private Budget(long limitBytes, double memtableFraction) {
            this.limitBytes = limitBytes;
            this.memtableFraction = memtableFraction;
            this.cache = new LRUCache(limitBytes, -1, false, HIGH_PRIORITY_POOL_RATIO);
            this.writeBuffers = new WriteBufferManager((long) (limitBytes * memtableFraction), cache);
        }

        public long limitBytes() {
            return limitBytes;
        }

        /** Bytes held in the cache now: data, index and filter blocks, and the memtables charged to it. */
        public long usedBytes() {
            return cache.getUsage();
        }

        private boolean sized(long bytes, double fraction) {
            return limitBytes == bytes && memtableFraction == fraction;
        }
    }

    /**
     * The budget the stores of {@code applicationId} in this JVM share, once one of them has
     * opened; empty before that, or when the application's memory is not bounded.
     */
    public static Optional<Budget> budgetOf(String applicationId) {
        return Optional.ofNullable(BUDGETS.get(applicationId));
    }

    /**
     * The application's budget, created on first use. A JVM that runs an application again with
     * another size (the bench, tests) gets a new budget; stores still open keep the old one.
     */
    static Budget budget(String applicationId, long bytes, double fraction) {
        return BUDGETS.compute(applicationId, (id, current) -> current != null && current.sized(bytes, fraction)
                ? current : new Budget(bytes, fraction));
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Budget budget = budget(String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG)),
                number(configs, KelvinConfig.ROCKSDB_MEMORY_BYTES_CONFIG).longValue(),
                number(configs, KelvinConfig.ROCKSDB_MEMTABLE_FRACTION_CONFIG).doubleValue());
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(budget.cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(budget.writeBuffers);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write-buffer manager are shared: they outlive every store.
    }

    /** A setting {@link StreamsSettings} put in the application's configs, as a number. */
    private static Number number(Map<String, Object> configs, String key) {
        Object value = configs.get(key);
        if (value instanceof Number n) {
            return n;
        }
        if (value == null) {
            throw new ConfigException(key + " is not set; " + RocksDBMemory.class.getName() + " needs it beside "
                    + StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG);
        }
        try {
            return Double.valueOf(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "not a number");
        }
    }
}
