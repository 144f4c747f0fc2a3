package io.kelvin.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kelvin.config.KelvinConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint of one Kelvin service, on the JDK's own HTTP server:
 *
 * <ul>
 *   <li>{@code GET /metrics}: the Prometheus text format of the process's registry;
 *   <li>{@code GET /health/live}: 200 while the service is live, else 503 ({@link Health});
 *   <li>{@code GET /health/ready}: 200 while it is ready, else 503, with the reasons;
 *   <li>{@code GET /info}: JSON with the version, the role, the topology, models in use and
 *       stale buildings.
 * </ul>
 *
 * Anything else is 404; a method other than GET or HEAD is 405. The port is {@value
 * KelvinConfig#HTTP_PORT_CONFIG}: 0 binds a free port (logged), -1 serves nothing.
 */
public final class OperationsServer implements AutoCloseable {
    public static final String METRICS_PATH = "/metrics";
    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";
    public static final String INFO_PATH = "/info";
    private static final Logger log = LoggerFactory.getLogger(OperationsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry meters;
    private final ServiceStatus status;

    private OperationsServer(HttpServer server, PrometheusMeterRegistry meters, ServiceStatus status) {
        this.server = server;
        this.meters = meters;
        this.status = status;
        if (server == null) {
            this.executor = null;
            return;
        }
        // Two threads: a slow scrape must not hold up a liveness probe.
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "kelvin-http-" + status.role());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Serves {@code status} on the port {@code config} names; a disabled server when it is -1.
     *
     * @throws UncheckedIOException when the port cannot be bound (in use, not permitted)
     */
    public static OperationsServer start(KelvinConfig config, PrometheusMeterRegistry meters, ServiceStatus status) {
        return start(config.getInt(KelvinConfig.HTTP_PORT_CONFIG), meters, status);
    }

    /** Serves {@code status} on {@code port} (0: a free one); a disabled server when it is -1. */
    public static OperationsServer start(int port, PrometheusMeterRegistry meters, ServiceStatus status) {
        if (port < 0) {
            log.info("Operations endpoint of the {} disabled ({}={})", status.role(), KelvinConfig.HTTP_PORT_CONFIG, port);
            return new OperationsServer(null, meters, status);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve the operations endpoint on port " + port + " ("
                    + KelvinConfig.HTTP_PORT_CONFIG + "): " + e.getMessage(), e);
        }
        OperationsServer ops = new OperationsServer(server, meters, status);
        server.start();
        log.atInfo().addKeyValue("port", ops.port())
                .log("Operations endpoint of the {} at {} ({}, {}, {}, {})", status.role(), ops.uri().orElseThrow(), METRICS_PATH, LIVE_PATH, READY_PATH, INFO_PATH);
        return ops;
    }

    /** The port bound; -1 when disabled. */
    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /** {@code http://localhost:PORT}; empty when disabled. */
    public Optional<URI> uri() {
        return server == null ? Optional.empty() : Optional.of(URI.create("http://localhost:" + port()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                response = respond(exchange);
            } catch (IOException | RuntimeException e) {
                // A failing status callback answers 500; the server keeps serving.
                log.warn("Operations endpoint failed on {}", exchange.getRequestURI(), e);
                response = new Response(500, "text/plain", "Internal error: " + e.getMessage() + "\n");
            }
            send(exchange, response);
        }
    }

    private record Response(int code, String contentType, String body) {}

    private Response respond(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().add("Allow", "GET, HEAD");
            return new Response(405, "text/plain", "Method " + method + " not allowed\n");
        }
        return switch (exchange.getRequestURI().getPath()) {
            case METRICS_PATH -> new Response(200, "text/plain; version=0.0.4; charset=utf-8", meters.scrape());
            case LIVE_PATH -> {
                Health health = Health.of(status);
                yield new Response(health.live() ? 200 : 503, "application/json", JSON.writeValueAsString(health.liveBody()));
            }
            case READY_PATH -> {
                Health health = Health.of(status);
                yield new Response(health.ready() ? 200 : 503, "application/json", JSON.writeValueAsString(health.readyBody()));
            }
            case INFO_PATH -> new Response(200, "application/json", JSON.writeValueAsString(info()));
            default -> new Response(404, "text/plain", "Not found; try " + METRICS_PATH + ", " + LIVE_PATH + ", "
                    + READY_PATH + " or " + INFO_PATH + "\n");
        };
    }

    private Map<String, Object> info() {
        Map<String, Object> body = new LinkedHashMap<>();
        String version = OperationsServer.class.getPackage().getImplementationVersion();
        body.put("version", version == null ? "dev" : version);
        body.put("role", status.role());
        Health health = Health.of(status);
        body.put("streamsState", health.state().name());
        body.put("ready", health.ready());
        body.putAll(status.info());
        return body;
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.code(), head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
