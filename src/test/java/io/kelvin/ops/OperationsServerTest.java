package io.kelvin.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operations endpoint over real HTTP on a free port, with a service whose state the test
 * sets (the real services' transitions are in {@code OperationsIntegrationTest}).
 */
class OperationsServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final PrometheusMeterRegistry meters = ProcessMeters.prometheusRegistry();
    private final SettableStatus status = new SettableStatus();
    private OperationsServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    /** A service whose state and reasons the test sets. */
    static final class SettableStatus implements ServiceStatus {
        volatile State state = State.CREATED;
        volatile List<String> reasons = List.of();
        volatile RuntimeException failure;

        @Override
        public String role() {
            return "optimizer";
        }

        @Override
        public State streamsState() {
            return state;
        }

        @Override
        public List<String> notReadyReasons() {
            return reasons;
        }

        @Override
        public Map<String, Object> info() {
            if (failure != null) {
                throw failure;
            }
            return Map.of("models", Map.of("__bundled__", "bundled-1"), "staleBuildings", List.of("b7"));
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeThePrometheusScrapeOnMetrics() throws Exception {
        server = OperationsServer.start(0, meters, status);
        Counter.builder("kelvin.test.events").register(meters).increment(3);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(response.body()).contains("kelvin_test_events_total 3.0");
    }

    @Test
    void shouldFollowTheStreamsStateThroughStartRunningAndShutdown() throws Exception {
        server = OperationsServer.start(0, meters, status);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);           // CREATED
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);

        status.state = State.REBALANCING;
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> rebalancing = get("/health/ready");
        assertThat(rebalancing.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(rebalancing.body()).get("reasons").get(0).asText()).contains("REBALANCING");

        status.state = State.RUNNING;
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("UP");

        status.reasons = List.of("no usable decision source");
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        status.reasons = List.of();

        status.state = State.PENDING_SHUTDOWN;
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        status.state = State.NOT_RUNNING;
        assertThat(get("/health/live").statusCode()).isEqualTo(503);
    }

    @ParameterizedTest
    @EnumSource(value = State.class, names = {"ERROR", "PENDING_ERROR", "NOT_RUNNING"})
    void shouldBeNeitherLiveNorReadyOnceKafkaStreamsFailedOrStopped(State state) throws Exception {
        server = OperationsServer.start(0, meters, status);
        status.state = state;

        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(live.body()).get("streamsState").asText()).isEqualTo(state.name());
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldDescribeTheServiceOnInfo() throws Exception {
        server = OperationsServer.start(0, meters, status);
        status.state = State.RUNNING;

        HttpResponse<String> response = get("/info");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode info = JSON.readTree(response.body());
        assertThat(info.get("version").asText()).isNotBlank();
        assertThat(info.get("role").asText()).isEqualTo("optimizer");
        assertThat(info.get("streamsState").asText()).isEqualTo("RUNNING");
        assertThat(info.get("models").get("__bundled__").asText()).isEqualTo("bundled-1");
        assertThat(info.get("staleBuildings").get(0).asText()).isEqualTo("b7");
    }

    @Test
    void shouldAnswerUnknownPathsAndMethodsAndKeepServingAfterAFailingCallback() throws Exception {
        server = OperationsServer.start(0, meters, status);
        assertThat(get("/health").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);

        status.failure = new IllegalStateException("catalog closed");
        HttpResponse<String> failed = get("/info");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).contains("catalog closed");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldServeNothingWhenDisabledAndSayWhyWhenThePortIsTaken() throws Exception {
        try (OperationsServer disabled = OperationsServer.start(-1, meters, status)) {
            assertThat(disabled.port()).isEqualTo(-1);
            assertThat(disabled.uri()).isEmpty();
        }
        server = OperationsServer.start(0, meters, status);
        List<OperationsServer> second = new ArrayList<>();
        assertThatThrownBy(() -> second.add(OperationsServer.start(server.port(), meters, status)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("port " + server.port())
                .hasMessageContaining("kelvin.http.port");
        second.forEach(OperationsServer::close);
    }
}
