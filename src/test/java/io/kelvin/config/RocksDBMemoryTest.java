package io.kelvin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.errors.DeadLetters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.LongSupplier;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

/** The block cache an application's RocksDB stores share: wiring, sizing, and its size holding under a real store. */
class RocksDBMemoryTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path stateDir;

    private static KelvinConfig config(String applicationId, Map<String, String> user) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "application.id", applicationId,
                "bootstrap.servers", "unused:1",
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://rocksdb-memory-test"));
        settings.putAll(user);
        return KelvinConfig.of(settings);
    }

    private static Properties settings(String applicationId, Map<String, String> user) {
        return StreamsSettings.of(config(applicationId, user), new DeadLetters("kelvin.dead-letters", new SimpleMeterRegistry()));
    }

    private static Map<String, Object> configs(Properties props) {
        Map<String, Object> out = new HashMap<>();
        props.forEach((k, v) -> out.put(k.toString(), v));
        return out;
    }

    /** Options as Kafka Streams hands them to a config setter: with a block-based table config. */
    private static Options storeOptions() {
        return new Options().setTableFormatConfig(new BlockBasedTableConfig());
    }

    @Test
    void shouldShareOneCacheUnlessTheUserSaysOtherwise() {
        assertThat(settings("kelvin-rdb-default", Map.of()))
                .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDBMemory.class)
                .containsEntry(KelvinConfig.ROCKSDB_BLOCK_CACHE_BYTES_CONFIG, 256 * MIB);
        assertThat(settings("kelvin-rdb-off", Map.of(KelvinConfig.ROCKSDB_BLOCK_CACHE_BYTES_CONFIG, "0")))
                .doesNotContainKey(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG);
        assertThat(settings("kelvin-rdb-own", Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Mine")))
                .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Mine")
                .doesNotContainKey(KelvinConfig.ROCKSDB_BLOCK_CACHE_BYTES_CONFIG);
    }

    @Test
    void shouldPutIndexAndFilterBlocksInTheCacheAtHighPriority() {
        try (Options options = storeOptions()) {
            new RocksDBMemory().setConfig("kelvin-decisions", options, configs(settings("kelvin-rdb-table", Map.of())));

            BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
            assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
            assertThat(RocksDBMemory.budgetOf("kelvin-rdb-table")).get().extracting(RocksDBMemory.Budget::limitBytes).isEqualTo(256 * MIB);
        }
    }

    @Test
    void shouldGiveEachApplicationItsOwnCacheAndANewOneWhenItRunsAgainWithAnotherSize() {
        RocksDBMemory.Budget first = RocksDBMemory.budget("kelvin-rdb-resized", 8 * MIB);

        assertThat(RocksDBMemory.budget("kelvin-rdb-resized", 8 * MIB)).isSameAs(first);
        assertThat(RocksDBMemory.budget("kelvin-rdb-other", 8 * MIB)).isNotSameAs(first);
        assertThat(RocksDBMemory.budget("kelvin-rdb-resized", 16 * MIB)).isNotSameAs(first)
                .extracting(RocksDBMemory.Budget::limitBytes).isEqualTo(16 * MIB);
        assertThat(RocksDBMemory.budgetOf("kelvin-rdb-resized")).get().extracting(RocksDBMemory.Budget::limitBytes).isEqualTo(16 * MIB);
    }

    @Test
    void shouldNameTheMissingSettingWhenConfiguredByHand() {
        Map<String, Object> configs = Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "kelvin-rdb-by-hand");
        try (Options options = storeOptions()) {
            assertThatThrownBy(() -> new RocksDBMemory().setConfig("s", options, configs))
                    .isInstanceOf(ConfigException.class).hasMessageContaining(KelvinConfig.ROCKSDB_BLOCK_CACHE_BYTES_CONFIG);
        }
    }

    /**
     * A real store through Kafka Streams: 48 MiB written and read back at random through a
     * 16 MiB cache, in one record's processing (the test driver commits, and so flushes
     * RocksDB, after every record). The shared cache holds the blocks the store reads (without
     * the setter the store would use a cache of its own and this one would stay empty) and fills
     * up to its size, not past it (16,701,800 of 16,777,216 bytes when written).
     */
    @Test
    void shouldKeepARealStoresBlocksInTheSharedCacheAndWithinItsSize() {
        String applicationId = "kelvin-rdb-store";
        Properties props = settings(applicationId, Map.of(KelvinConfig.ROCKSDB_BLOCK_CACHE_BYTES_CONFIG, String.valueOf(16 * MIB)));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.Integer().deserializer(), "writes");
        Observed observed = new Observed();
        topology.addProcessor("store-and-read",
                () -> new StoreAndRead(() -> RocksDBMemory.budgetOf(applicationId).orElseThrow().usedBytes(), observed), "in");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("values-store"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled(), "store-and-read");

        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            driver.createInputTopic("writes", new StringSerializer(), new IntegerSerializer()).pipeInput("k", 12_288);

            RocksDBMemory.Budget budget = RocksDBMemory.budgetOf(applicationId).orElseThrow();
            assertThat(budget.limitBytes()).isEqualTo(16 * MIB);
            assertThat(observed.peakBytes).as("the store's blocks fill the shared cache").isGreaterThan(12 * MIB);
            assertThat(observed.peakBytes).as("and no more").isLessThanOrEqualTo(16 * MIB + 64 * 1024);
        }
        assertThat(observed.misses).as("every value written is read back").isZero();
    }

    /**
     * For a record's value N, writes N random 4 KiB values and after each reads back three written
     * earlier, at random; counts what it cannot find and samples the budget's use every 16 writes.
     */
    private static final class StoreAndRead implements Processor<String, Integer, Void, Void> {
        private final Random random = new Random(11);
        private final LongSupplier usedBytes;
        private final Observed observed;
        private KeyValueStore<String, byte[]> store;

        StoreAndRead(LongSupplier usedBytes, Observed observed) {
            this.usedBytes = usedBytes;
            this.observed = observed;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore("values-store");
        }

        @Override
        public void process(Record<String, Integer> record) {
            for (int written = 1; written <= record.value(); written++) {
                byte[] value = new byte[4096];
                random.nextBytes(value);
                store.put(record.key() + written, value);
                for (int i = 0; i < 3; i++) {
                    if (store.get(record.key() + (1 + random.nextInt(written))) == null) {
                        observed.misses++;
                    }
                }
                if (written % 16 == 0) {
                    observed.peakBytes = Math.max(observed.peakBytes, usedBytes.getAsLong());
                }
            }
        }
    }

    /** What {@link StoreAndRead} saw. */
    private static final class Observed {
        long peakBytes;
        int misses;
    }
}
