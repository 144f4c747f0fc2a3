package io.kelvin.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a scrape does with odd values, and the JVM, process and Kafka Streams meters it shows. */
class ProcessMetersTest {
    /** A sample line of the Prometheus text format: name, optional labels, a value (NaN and ±Inf allowed). */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})? (NaN|[+-]Inf|-?[0-9.]+(E-?[0-9]+)?)( [0-9]+)?");

    private final PrometheusMeterRegistry meters = ProcessMeters.prometheusRegistry();

    static void assertValidExposition(String scrape) {
        for (String line : scrape.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                assertThat(line).as("a sample line").matches(SAMPLE);
            }
        }
    }

    @Test
    void shouldScrapeNanInfiniteAndFailingGaugesAsValidSamples() {
        Gauge.builder("odd.nan", () -> Double.NaN).register(meters);
        Gauge.builder("odd.inf", () -> Double.POSITIVE_INFINITY).register(meters);
        Gauge.builder("odd.failing", () -> {
            throw new IllegalStateException("metric source closed");
        }).register(meters);

        String scrape = meters.scrape();

        assertThat(scrape).contains("odd_nan NaN", "odd_inf +Inf", "odd_failing NaN");
        assertValidExposition(scrape);
    }

    @Test
    void shouldRefuseAMeterWhoseTagKeysDifferFromAnEarlierOneAndCountTheRefusal() {
        Gauge.builder("kafka.odd.lag", () -> 1).tag("client_id", "c1").register(meters);
        Gauge.builder("kafka.odd.lag", () -> 2).tag("client_id", "c1").tag("partition", "0").register(meters);

        String scrape = meters.scrape();

        assertThat(scrape).contains("kafka_odd_lag{client_id=\"c1\"} 1.0").doesNotContain("partition=\"0\"");
        assertThat(meters.get(ProcessMeters.REFUSED).tag("meter", "kafka.odd.lag").counter().count()).isEqualTo(1.0);
        assertValidExposition(scrape);
    }

    @Test
    void shouldShowJvmAndProcessMeters() throws Exception {
        try (AutoCloseable jvm = ProcessMeters.bindJvmAndProcess(meters)) {
            String scrape = meters.scrape();
            assertThat(scrape).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                    "jvm_gc_", "process_cpu_usage", "process_uptime_seconds", "system_cpu_count");
            if (!System.getProperty("os.name").startsWith("Windows")) {
                assertThat(scrape).contains("process_files_open_files");
            }
            assertValidExposition(scrape);
        }
    }

    /**
     * A real Kafka Streams client (no broker: it stays rebalancing) bound as StreamsRuntime binds
     * it: its client, thread, consumer and producer meters scrape as valid samples, string-valued
     * Kafka metrics (version, topology description) are left out rather than breaking the scrape.
     */
    @Test
    void shouldScrapeARealKafkaStreamsClientsMeters(@TempDir Path state) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "process-meters-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        try (KafkaStreamsMetrics bound = new KafkaStreamsMetrics(streams)) {
            bound.bindTo(meters);
            streams.start();

            String scrape = meters.scrape();

            assertThat(scrape).contains("kafka_stream_alive_stream_threads", "kafka_stream_failed_stream_threads_total",
                    "kafka_stream_client_state", "kafka_consumer_fetch_manager_records_lag_max", "kafka_producer_");
            assertThat(scrape).doesNotContain("topology_description");
            assertValidExposition(scrape);
        } finally {
            streams.close(java.time.Duration.ofSeconds(10));
        }
        List<String> afterClose = meters.scrape().lines().filter(l -> l.startsWith("kafka_stream_alive")).toList();
        assertThat(afterClose).as("the binder's meters go with the client").isEmpty();
    }
}
