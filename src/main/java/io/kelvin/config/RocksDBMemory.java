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

/**
 * Bounds the block caches of an application's RocksDB stores ({@code rocksdb.config.setter}):
 * every store of one {@code application.id} in this JVM reads through one LRU cache of {@value
 * KelvinConfig#ROCKSDB_BLOCK_CACHE_BYTES_CONFIG} bytes, which holds their index and filter blocks
 * too (at high priority, so data blocks are evicted first) instead of beside it, per open file.
 *
 * <p>Without it each store has a 50 MiB cache of its own (Kafka Streams' default), and an
 * optimizer task opens four RocksDB instances (two live window segments, decisions, pending
 * windows), so the memory a pod needs grows with the tasks it holds. Memtables keep Kafka
 * Streams' defaults per instance (up to three of 16 MiB): charging them to the shared cache
 * with a {@code WriteBufferManager} was tried and, at 100,000 buildings, made writes flush
 * near-empty memtables over and over, slowing the optimizer four times and fencing its
 * transactions (BENCHMARKS.md, "Bounded RocksDB memory").
 *
 * <p>Kafka Streams instantiates this class for every store and closes it with the store; the
 * shared cache lives as long as the JVM (closing it while another store uses it would crash it).
 */
public final class RocksDBMemory implements RocksDBConfigSetter {
    /** Share of the cache for index and filter blocks (high priority): data blocks are evicted before them. */
    private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;
    private static final ConcurrentMap<String, Budget> BUDGETS = new ConcurrentHashMap<>();

    /** The block cache the stores of one application share. */
    public static final class Budget {
        private final long limitBytes;
        private final Cache cache;

        private Budget(long limitBytes) {
            this.limitBytes = limitBytes;
            this.cache = new LRUCache(limitBytes, -1, false, HIGH_PRIORITY_POOL_RATIO);
        }

        public long limitBytes() {
            return limitBytes;
        }

        /** Bytes held in the cache now: data, index and filter blocks. */
        public long usedBytes() {
            return cache.getUsage();
        }
    }

    /**
     * The cache the stores of {@code applicationId} in this JVM share, once one of them has
     * opened; empty before that, or when the application's caches are not bounded.
     */
    public static Optional<Budget> budgetOf(String applicationId) {
        return Optional.ofNullable(BUDGETS.get(applicationId));
    }

    /**
     * The application's cache, created on first use. A JVM that runs an application again with
     * another size (the bench, tests) gets a new cache; stores still open keep the old one.
     */
    static Budget budget(String applicationId, long bytes) {
        return BUDGETS.compute(applicationId, (id, current) -> current != null && current.limitBytes == bytes ? current : new Budget(bytes));
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Budget budget = budget(String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG)),
                bytes(configs, KelvinConfig.ROCKSDB_BLOCK_CACHE_BYTES_CONFIG));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(budget.cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache is shared: it outlives every store.
    }

    /** The size {@link StreamsSettings} puts in the application's configs beside this class. */
    private static long bytes(Map<String, Object> configs, String key) {
        if (configs.get(key) instanceof Number n) {
            return n.longValue();
        }
        throw new ConfigException(key + " is not set; " + RocksDBMemory.class.getName() + " needs it beside "
                + StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG + " (StreamsSettings puts both)");
    }
}
