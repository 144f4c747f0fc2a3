package io.kelvin.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kelvin.Await;
import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.broker.TopicProvisioner;
import io.kelvin.config.KelvinConfig;
import io.kelvin.optimizer.OptimizerService;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.schema.BuildingProfile;
import io.kelvin.schema.Metric;
import io.kelvin.schema.OccupancyPeriod;
import io.kelvin.schema.SensorReading;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import io.kelvin.trainer.TrainerService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimizer and the trainer on a real broker, each with its own registry and operations
 * endpoint on a free port, as two processes would run: readiness follows Kafka Streams from
 * start to RUNNING to close, the optimizer's meters move as readings flow, and every metric the
 * Grafana dashboard and the alert rules in {@code k8s/monitoring} query is in a real scrape.
 */
class OperationsIntegrationTest {
    /** Metric names in PromQL: Kelvin's, Kafka's and the JVM and process meters. */
    private static final Pattern METRIC_NAME = Pattern.compile("\\b((?:kelvin|kafka|jvm|process)_[a-zA-Z0-9_]+)\\b");
    private static final Pattern DASHBOARD_EXPR = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUILDINGS = 3;

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldServeHealthMetricsAndInfoForTheOptimizerAndTrainerOnARealBroker() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"))) {
            KelvinConfig optimizerConfig = config(broker, "kelvin-optimizer-ops-it", "optimizer-state");
            KelvinConfig trainerConfig = config(broker, "kelvin-trainer-ops-it", "trainer-state");
            try (SchemaRegistryClient registry = SchemaRegistries.open(optimizerConfig)) {
                TopicCatalogue topics = new TopicCatalogue(optimizerConfig, new KelvinSerdes(registry));
                try (Admin admin = Admin.create(optimizerConfig.clientSettings())) {
                    new TopicProvisioner(admin, Duration.ofSeconds(30)).createMissing(topics);
                }
                PrometheusMeterRegistry optimizerMeters = ProcessMeters.prometheusRegistry();
                PrometheusMeterRegistry trainerMeters = ProcessMeters.prometheusRegistry();
                OptimizerService optimizer = OptimizerService.start(optimizerConfig, optimizerMeters, Clock.systemUTC());
                TrainerService trainer = TrainerService.start(trainerConfig, trainerMeters, Clock.systemUTC());
                try (AutoCloseable jvm = ProcessMeters.bindJvmAndProcess(optimizerMeters);
                     AutoCloseable trainerJvm = ProcessMeters.bindJvmAndProcess(trainerMeters);
                     OperationsServer optimizerHttp = OperationsServer.start(optimizerConfig, optimizerMeters, optimizer);
                     OperationsServer trainerHttp = OperationsServer.start(trainerConfig, trainerMeters, trainer)) {
                    // Just started: the group is still forming, so neither is ready, both are live.
                    HttpResponse<String> early = get(optimizerHttp, "/health/ready");
                    assertThat(early.statusCode()).as(early.body()).isEqualTo(503);
                    assertThat(JSON.readTree(early.body()).get("streamsState").asText()).isNotEqualTo("RUNNING");
                    assertThat(get(optimizerHttp, "/health/live").statusCode()).isEqualTo(200);

                    awaitReady(optimizerHttp);
                    awaitReady(trainerHttp);
                    assertThat(optimizer.streamsState().name()).isEqualTo("RUNNING");

                    produceReadings(optimizerConfig, topics);
                    awaitSample(optimizerHttp, "kelvin_setpoints_total", 3.0 * BUILDINGS);  // three windows per building
                    String optimizerScrape = get(optimizerHttp, "/metrics").body();
                    String trainerScrape = get(trainerHttp, "/metrics").body();
                    ProcessMetersTest.assertValidExposition(optimizerScrape);
                    ProcessMetersTest.assertValidExposition(trainerScrape);
                    assertThat(sum(optimizerScrape, "kelvin_readings_processed_total")).isGreaterThanOrEqualTo(3.0 * BUILDINGS * 30);
                    assertThat(sum(optimizerScrape, "kelvin_windows_closed_total")).isGreaterThanOrEqualTo(3.0 * BUILDINGS);
                    assertThat(sum(optimizerScrape, "kelvin_prediction_error_energy_kwh_count")).isGreaterThanOrEqualTo(2.0 * BUILDINGS);
                    assertThat(optimizerScrape).contains("kelvin_model_version_info{key=\"__bundled__\",kind=\"bundled\"");
                    assertThat(sum(optimizerScrape, "kelvin_rocksdb_block_cache_limit_bytes")).as("the default size").isEqualTo(256.0 * 1024 * 1024);
                    assertThat(sum(optimizerScrape, "kelvin_rocksdb_block_cache_used_bytes")).as("the stores' blocks, in the shared cache")
                            .isPositive().isLessThanOrEqualTo(256.0 * 1024 * 1024);

                    Set<String> queried = queriedMetricNames();
                    assertThat(queried).contains("kelvin_buildings_stale", "kelvin_setpoints_total", "kafka_consumer_fetch_manager_records_lag_max",
                            "kafka_stream_failed_stream_threads_total", "kelvin_trainer_trainings_total", "jvm_memory_used_bytes");
                    // Micrometer's Kafka binder looks for new Kafka metrics once a minute, so the
                    // task-level ones (created when tasks are assigned) may take that long to appear.
                    Set<String> scraped = Await.until(Duration.ofSeconds(90), Duration.ofSeconds(1),
                            () -> scrapedNames(optimizerHttp, trainerHttp), names -> names.containsAll(queried));
                    assertThat(scraped).as("every metric the dashboard and the alerts query").containsAll(queried);

                    JsonNode info = JSON.readTree(get(optimizerHttp, "/info").body());
                    assertThat(info.get("role").asText()).isEqualTo("optimizer");
                    assertThat(info.get("topology").get("applicationId").asText()).isEqualTo("kelvin-optimizer-ops-it");
                    assertThat(info.get("models").has("__bundled__")).isTrue();
                    assertThat(info.get("staleBuildings").isArray()).isTrue();
                    assertThat(info.get("staleBuildings")).isEmpty();
                    JsonNode trainerInfo = JSON.readTree(get(trainerHttp, "/info").body());
                    assertThat(trainerInfo.get("role").asText()).isEqualTo("trainer");
                    assertThat(trainerInfo.get("topology").get("applicationId").asText()).isEqualTo("kelvin-trainer-ops-it");

                    optimizer.close();
                    HttpResponse<String> closed = get(optimizerHttp, "/health/ready");
                    assertThat(closed.statusCode()).isEqualTo(503);
                    assertThat(JSON.readTree(closed.body()).get("streamsState").asText()).isEqualTo("NOT_RUNNING");
                    assertThat(get(optimizerHttp, "/health/live").statusCode()).isEqualTo(503);
                    assertThat(get(trainerHttp, "/health/ready").statusCode()).as("the trainer is unaffected").isEqualTo(200);
                } finally {
                    optimizer.close();
                    trainer.close();
                }
            }
        }
    }

    private KelvinConfig config(EmbeddedKafkaBroker broker, String applicationId, String stateDir) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("application.id", applicationId);
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("processing.guarantee", "exactly_once_v2");
        settings.put("group.protocol", "classic");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(stateDir).toString());
        settings.put(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "kafka://" + broker.bootstrapServers() + "/_kelvin_schemas");
        settings.put(KelvinConfig.TOPIC_PARTITIONS_CONFIG, "3");
        settings.put(KelvinConfig.HTTP_PORT_CONFIG, "0");
        return KelvinConfig.of(settings);
    }

    /** Three closed windows per building (readings every minute up to minute 32). */
    private static void produceReadings(KelvinConfig config, TopicCatalogue topics) throws Exception {
        // Recent timestamps: the broker rejects records far ahead of its clock, retention deletes old ones.
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new HashMap<>(config.clientSettings()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int b = 0; b < BUILDINGS; b++) {
                producer.send(new ProducerRecord<>(topics.buildings().name(), key("b" + b),
                        topics.buildings().valueSerde().serializer().serialize(topics.buildings().name(), alwaysOccupied("b" + b)))).get();
            }
            for (int minute = 0; minute <= 32; minute++) {
                Instant at = base.plus(Duration.ofMinutes(minute));
                for (int b = 0; b < BUILDINGS; b++) {
                    for (Metric metric : List.of(Metric.ZONE_TEMPERATURE_C, Metric.OUTDOOR_TEMPERATURE_C, Metric.HVAC_POWER_KW)) {
                        double value = metric == Metric.ZONE_TEMPERATURE_C ? 21 : metric == Metric.OUTDOOR_TEMPERATURE_C ? 4 : 20 + b;
                        SensorReading r = SensorReading.newBuilder().setBuildingId("b" + b).setDeviceId("gw").setMetric(metric)
                                .setValue(value).setObservedAt(at).build();
                        producer.send(new ProducerRecord<>(topics.readings().name(), null, at.toEpochMilli(), key("b" + b),
                                topics.readings().valueSerde().serializer().serialize(topics.readings().name(), r)));
                    }
                }
            }
            producer.flush();
        }
    }

    private static BuildingProfile alwaysOccupied(String buildingId) {
        return BuildingProfile.newBuilder().setBuildingId(buildingId).setName(buildingId).setTimeZone("UTC").setFloorAreaM2(2_000)
                .setMinSetpointC(16).setMaxSetpointC(26).setMaxChangePerStepK(0.5).setComfortMinC(20).setComfortMaxC(24)
                .setOccupiedSetpointC(21).setUnoccupiedSetpointC(17)
                .setOccupancy(List.of(new OccupancyPeriod(List.of(1, 2, 3, 4, 5, 6, 7), 0, 24 * 60)))
                .build();
    }

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(OperationsServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady(OperationsServer server) throws Exception {
        // Kafka Streams changes its state on its own threads.
        HttpResponse<String> response = Await.until(Duration.ofSeconds(90), Duration.ofMillis(100),
                () -> get(server, "/health/ready"), r -> r.statusCode() == 200);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("streamsState").asText()).isEqualTo("RUNNING");
    }

    private void awaitSample(OperationsServer server, String name, double atLeast) throws Exception {
        double value = Await.until(Duration.ofSeconds(90), Duration.ofMillis(250),
                () -> sum(get(server, "/metrics").body(), name), v -> v >= atLeast);
        assertThat(value).as(name).isGreaterThanOrEqualTo(atLeast);
    }

    /** The sum of every sample of {@code name} in a scrape. */
    private static double sum(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private Set<String> scrapedNames(OperationsServer optimizer, OperationsServer trainer) throws Exception {
        Set<String> names = new TreeSet<>(sampleNames(get(optimizer, "/metrics").body()));
        names.addAll(sampleNames(get(trainer, "/metrics").body()));
        return names;
    }

    private static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    /** Every metric name in the dashboard's expressions and the alert rules' expressions. */
    static Set<String> queriedMetricNames() throws Exception {
        Path monitoring = Path.of("k8s", "monitoring");
        Set<String> names = new TreeSet<>();
        Matcher exprs = DASHBOARD_EXPR.matcher(Files.readString(monitoring.resolve("grafana-dashboard.json")));
        while (exprs.find()) {
            addNames(JSON.readValue("\"" + exprs.group(1) + "\"", String.class), names);
        }
        StringBuilder rules = new StringBuilder();
        boolean inExpr = false;
        for (String line : Files.readAllLines(monitoring.resolve("prometheus-rules.yaml"))) {
            String trimmed = line.trim();
            if (trimmed.startsWith("expr:")) {
                inExpr = true;
                rules.append(trimmed.substring(5)).append('\n');
            } else if (inExpr && (trimmed.startsWith("for:") || trimmed.startsWith("labels:") || trimmed.startsWith("annotations:"))) {
                inExpr = false;
            } else if (inExpr) {
                rules.append(trimmed).append('\n');
            }
        }
        addNames(rules.toString(), names);
        return names;
    }

    private static void addNames(String promql, Set<String> names) {
        Matcher m = METRIC_NAME.matcher(promql);
        while (m.find()) {
            names.add(m.group(1));
        }
    }
}
