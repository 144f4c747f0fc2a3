package io.kelvin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A small registry on 127.0.0.1 that answers as Confluent's REST API does for the two calls
 * Kelvin makes: global ids (one per distinct schema), versions per subject, 404/40403 for an
 * unknown id, 401 when a required Authorization header is missing or wrong. Tests can also
 * make it answer with a canned status and body, or hold requests until {@link #close()}.
 */
final class FakeConfluentRegistry implements AutoCloseable {

    static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Pattern REGISTER = Pattern.compile("^/subjects/([^/]+)/versions$");
    private static final Pattern BY_ID = Pattern.compile("^/schemas/ids/(-?\\d+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    record Request(String method, String rawPath, Map<String, List<String>> headers, String body) {
        /** The single value of header {@code name}, or null. */
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-registry");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final Map<String, Integer> idsBySchema = new LinkedHashMap<>();
    private final Map<Integer, String> schemasById = new LinkedHashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();
    private volatile String requiredAuthorization;
    private volatile Reply canned;
    private volatile boolean holdRequests;

    private FakeConfluentRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor); // several threads: a held request must not block the next
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeConfluentRegistry start() throws IOException {
        return new FakeConfluentRegistry();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Answer 401 unless the Authorization header is exactly {@code value}. */
    void requireAuthorization(String value) {
        this.requiredAuthorization = value;
    }

    /** Answer every later request with {@code status} and {@code body}. */
    void answerWith(int status, String body) {
        this.canned = new Reply(status, body);
    }

    /** Hold every later request unanswered until {@link #close()}. */
    void holdRequests() {
        this.holdRequests = true;
    }

    /** Registers {@code schema} as a client would, without an HTTP call. */
    synchronized int preload(String subject, String schema) {
        return registerLocally(subject, new Schema.Parser().parse(schema).toString());
    }

    synchronized List<Integer> versionsOf(String subject) {
        return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body);
            requests.add(request);
            if (holdRequests) {
                // Released by close(); the bound only keeps a forgotten close from leaking a thread.
                released.await(60, TimeUnit.SECONDS);
                return;
            }
            Reply reply = answer(request);
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.body().startsWith("{") ? MEDIA_TYPE : "text/html");
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Reply answer(Request request) throws IOException {
        String required = requiredAuthorization;
        if (required != null && !required.equals(request.header("Authorization"))) {
            return error(401, 401, "Unauthorized");
        }
        Reply reply = canned;
        if (reply != null) {
            return reply;
        }
        Matcher register = REGISTER.matcher(request.rawPath());
        if (request.method().equals("POST") && register.matches()) {
            String subject = URI.create("/" + register.group(1)).getPath().substring(1);
            JsonNode json = JSON.readTree(request.body());
            if (json == null || !json.path("schema").isTextual()) {
                return error(422, 42201, "Invalid schema: body has no schema");
            }
            String canonical;
            try {
                canonical = new Schema.Parser().parse(json.get("schema").asText()).toString();
            } catch (SchemaParseException e) {
                return error(422, 42201, "Invalid schema " + e.getMessage());
            }
            int id;
            synchronized (this) {
                id = registerLocally(subject, canonical);
            }
            return new Reply(200, "{\"id\":" + id + "}");
        }
        Matcher byId = BY_ID.matcher(request.rawPath());
        if (request.method().equals("GET") && byId.matches()) {
            int id = Integer.parseInt(byId.group(1));
            String schema;
            synchronized (this) {
                schema = schemasById.get(id);
            }
            if (schema == null) {
                return error(404, 40403, "Schema " + id + " not found");
            }
            // Newer registries add fields beyond "schema"; a client must ignore them.
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("schemaType", "AVRO");
            out.put("schema", schema);
            out.put("references", new ArrayList<>());
            return new Reply(200, JSON.writeValueAsString(out));
        }
        return error(404, 404, "HTTP 404 Not Found");
    }

    private int registerLocally(String subject, String canonicalSchema) {
        Integer id = idsBySchema.get(canonicalSchema);
        if (id == null) {
            id = idsBySchema.size() + 1;
            idsBySchema.put(canonicalSchema, id);
            schemasById.put(id, canonicalSchema);
        }
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    private static Reply error(int status, int errorCode, String message) throws IOException {
        return new Reply(status, JSON.writeValueAsString(Map.of("error_code", errorCode, "message", message)));
    }

    private record Reply(int status, String body) {}
}
