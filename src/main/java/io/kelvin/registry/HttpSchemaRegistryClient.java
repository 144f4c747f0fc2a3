package io.kelvin.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kelvin.config.KelvinConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} for a Confluent-compatible schema registry, over its REST API
 * ({@code POST /subjects/{subject}/versions}, {@code GET /schemas/ids/{id}}) with the
 * {@value #MEDIA_TYPE} media type.
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>Cached and thread-safe.</b> Each subject and schema is registered, and each id
 *       fetched, once per client; later calls are map lookups. A schema this client registered
 *       is known under its id without a fetch. Concurrent first calls for the same key may each
 *       ask the registry (both calls are idempotent there) and get the same answer.</li>
 *   <li><b>Bounded.</b> Every request, connection included, gives up after the configured
 *       timeout.</li>
 *   <li><b>Failover.</b> With several base URLs, a URL that cannot be connected to (refused,
 *       unknown host, connect timeout, connection dropped before an answer) is skipped and the
 *       next one tried; the URL that answered is tried first on later calls. Any HTTP answer,
 *       error statuses included, is final, and so is a request that connected but timed out:
 *       a slow registry is reported, not retried elsewhere, so a call never waits longer than
 *       one timeout per URL.</li>
 *   <li><b>Clear failures.</b> Every failure is a {@link SchemaRegistryException} whose message
 *       names the operation, the subject or id, the URL, the HTTP status and the registry's own
 *       message (or the timeout or connection failure); {@link SchemaRegistryException#httpStatus()}
 *       and {@link SchemaRegistryException#errorCode()} carry the status and Confluent's
 *       {@code error_code}.</li>
 *   <li><b>Secrets stay secret.</b> The basic-auth password and the bearer token never appear
 *       in messages or in {@link #toString()}, even when a registry echoes them back.</li>
 * </ul>
 *
 * <p>Credentials are HTTP basic ({@code user:password}) or a bearer token, never both. Redirects
 * are not followed. {@link #close()} does nothing: Java 17's {@link HttpClient} cannot be
 * closed, and its daemon threads end when the client is no longer reachable.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    /** The media type of the registry's v1 REST API, sent as {@code Accept} and {@code Content-Type}. */
    public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_IN_MESSAGE = 300;
    // Shortest secret part redacted on its own; shorter ones would mangle ordinary words.
    private static final int MIN_REDACTED_LENGTH = 4;

    private final List<String> baseUrls;
    private final Duration timeout;
    private final String authorization; // null: no credentials
    private final String authKind;
    private final List<String> secrets;
    private final HttpClient http;
    private final AtomicInteger preferredUrl = new AtomicInteger();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private HttpSchemaRegistryClient(Builder builder) {
        this.baseUrls = builder.baseUrls;
        this.timeout = builder.timeout;
        List<String> secrets = new ArrayList<>();
        if (builder.userInfo != null) {
            String encoded = Base64.getEncoder().encodeToString(builder.userInfo.getBytes(StandardCharsets.UTF_8));
            this.authorization = "Basic " + encoded;
            this.authKind = "basic auth as " + builder.userInfo.substring(0, builder.userInfo.indexOf(':'));
            secrets.add(builder.userInfo);
            secrets.add(encoded);
            secrets.add(builder.userInfo.substring(builder.userInfo.indexOf(':') + 1));
        } else if (builder.bearerToken != null) {
            this.authorization = "Bearer " + builder.bearerToken;
            this.authKind = "bearer token";
            secrets.add(builder.bearerToken);
        } else {
            this.authorization = null;
            this.authKind = "no credentials";
        }
        secrets.removeIf(s -> s.length() < MIN_REDACTED_LENGTH);
        // Longest first, so a secret that contains another is replaced whole.
        secrets.sort((a, b) -> b.length() - a.length());
        this.secrets = List.copyOf(secrets);
        // HTTP/1.1: a plain-http HTTP/2 client would try an h2c upgrade on every first request,
        // which some proxies in front of registries mishandle; registry traffic is tiny anyway.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * A builder for a client of the registry at {@code urls}: one or more {@code http://} or
     * {@code https://} base URLs separated by commas, tried in order.
     */
    public static Builder builder(String urls) {
        return new Builder(urls);
    }

    /**
     * A client configured by {@link KelvinConfig#SCHEMA_REGISTRY_URL_CONFIG},
     * {@link KelvinConfig#SCHEMA_REGISTRY_BASIC_AUTH_CONFIG},
     * {@link KelvinConfig#SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG} and
     * {@link KelvinConfig#SCHEMA_REGISTRY_TIMEOUT_MS_CONFIG}.
     *
     * @throws IllegalArgumentException when a URL is not http(s), the user info is not
     *     {@code user:password}, or both basic auth and a bearer token are set
     */
    public static HttpSchemaRegistryClient fromConfig(KelvinConfig config) {
        return builder(config.getString(KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG))
                .basicAuth(valueOf(config.getPassword(KelvinConfig.SCHEMA_REGISTRY_BASIC_AUTH_CONFIG)))
                .bearerToken(valueOf(config.getPassword(KelvinConfig.SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG)))
                .timeout(Duration.ofMillis(config.getInt(KelvinConfig.SCHEMA_REGISTRY_TIMEOUT_MS_CONFIG)))
                .build();
    }

    private static String valueOf(Password password) {
        return password == null ? null : password.value();
    }

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions})
     * and returns its global id; answered from the cache when this client registered it before.
     *
     * @throws SchemaRegistryException when the registry refuses (for example 409 incompatible,
     *     422 invalid, 401 unauthorized), fails, times out or cannot be reached
     */
    @Override
    public int register(String subject, Schema schema) {
        Objects.requireNonNull(schema, "schema");
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("A schema registry subject must not be empty");
        }
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String operation = "register schema " + schema.getFullName() + " under subject '" + subject + "'";
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a JSON string", e);
        }
        Answer answer = send(operation, "POST", "/subjects/" + encodePathSegment(subject) + "/versions", body);
        JsonNode id = answer.json().get("id");
        if (id == null || !id.canConvertToInt() || !id.isIntegralNumber()) {
            throw answer.malformed("{\"id\": <int>}", null);
        }
        int schemaId = id.intValue();
        schemasById.putIfAbsent(schemaId, schema);
        idsBySubjectSchema.putIfAbsent(key, schemaId);
        return schemaId;
    }

    /**
     * Returns the schema with global id {@code id} ({@code GET /schemas/ids/{id}}); fetched once.
     *
     * @throws SchemaRegistryException with status 404 and error code 40403 when the registry has
     *     no such schema, or when the registry fails, times out, cannot be reached, or answers
     *     with something that is not an Avro schema
     */
    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String operation = "fetch schema id " + id;
        Answer answer = send(operation, "GET", "/schemas/ids/" + id, null);
        JsonNode json = answer.json();
        JsonNode type = json.get("schemaType");
        if (type != null && type.isTextual() && !type.asText().equals("AVRO")) {
            throw answer.malformed("an Avro schema", "schema " + id + " is a " + type.asText() + " schema");
        }
        JsonNode text = json.get("schema");
        if (text == null || !text.isTextual()) {
            throw answer.malformed("{\"schema\": \"<Avro schema JSON>\"}", null);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException | IllegalArgumentException e) {
            throw answer.malformed("an Avro schema", "not a valid Avro schema: " + e.getMessage());
        }
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced == null ? schema : raced;
    }

    /** The base URLs, in the order they are tried. */
    public List<String> baseUrls() {
        return baseUrls;
    }

    /** The limit of one request, connecting included. */
    public Duration timeout() {
        return timeout;
    }

    /** URLs and the kind of credentials; never the secret. */
    @Override
    public String toString() {
        return "HttpSchemaRegistryClient" + baseUrls + " (" + authKind + ", timeout " + timeout.toMillis() + " ms)";
    }

    private Answer send(String operation, String method, String path, String body) {
        int first = preferredUrl.get();
        List<String> unreachable = new ArrayList<>();
        IOException lastFailure = null;
        for (int attempt = 0; attempt < baseUrls.size(); attempt++) {
            int index = (first + attempt) % baseUrls.size();
            String url = baseUrls.get(index) + path;
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Accept", MEDIA_TYPE);
            if (body != null) {
                request.header("Content-Type", MEDIA_TYPE)
                        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (index != first) {
                    preferredUrl.compareAndSet(first, index);
                }
                Answer answer = new Answer(operation, method + " " + url, response.statusCode(), response.body());
                if (response.statusCode() / 100 != 2) {
                    throw answer.refused();
                }
                return answer;
            } catch (HttpConnectTimeoutException e) {
                lastFailure = e;
                unreachable.add(url + " (connect timed out after " + timeout.toMillis() + " ms)");
            } catch (HttpTimeoutException e) {
                throw new SchemaRegistryUnavailableException(redact("Schema registry: cannot " + operation + ": " + method + " " + url
                        + " timed out after " + timeout.toMillis() + " ms"), e);
            } catch (IOException e) {
                lastFailure = e;
                unreachable.add(url + " (" + describe(e) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException(redact("Schema registry: cannot " + operation + ": interrupted during "
                        + method + " " + url), e);
            }
            if (attempt + 1 < baseUrls.size()) {
                LOG.warn("Schema registry {} unreachable ({}); trying the next URL", baseUrls.get(index),
                        unreachable.get(unreachable.size() - 1));
            }
        }
        throw new SchemaRegistryUnavailableException(redact("Schema registry: cannot " + operation + ": no registry URL could be reached: "
                + String.join("; ", unreachable)), lastFailure);
    }

    /** What went wrong with a connection, in words: the JDK often leaves the message null. */
    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private String redact(String message) {
        String out = message;
        for (String secret : secrets) {
            out = out.replace(secret, "[redacted]");
        }
        return out;
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters ({@code URLEncoder} is for forms: space → '+'). */
    static String encodePathSegment(String segment) {
        StringBuilder out = new StringBuilder(segment.length() + 16);
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_BODY_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    private record SubjectSchema(String subject, Schema schema) {}

    /** One HTTP answer and the call it answered, for messages. */
    private final class Answer {
        private final String operation;
        private final String request;
        private final int status;
        private final String body;

        Answer(String operation, String request, int status, String body) {
            this.operation = operation;
            this.request = request;
            this.status = status;
            this.body = body;
        }

        JsonNode json() {
            try {
                JsonNode node = JSON.readTree(body);
                if (node != null && node.isObject()) {
                    return node;
                }
            } catch (JsonProcessingException e) {
                // reported below with the body itself
            }
            throw malformed("a JSON object", null);
        }

        SchemaRegistryException refused() {
            int errorCode = -1;
            String message = null;
            try {
                JsonNode node = JSON.readTree(body);
                if (node != null && node.isObject()) {
                    JsonNode code = node.get("error_code");
                    if (code != null && code.canConvertToInt()) {
                        errorCode = code.intValue();
                    }
                    JsonNode text = node.get("message");
                    if (text != null && text.isTextual()) {
                        message = text.asText();
                    }
                }
            } catch (JsonProcessingException e) {
                // not Confluent's error JSON (a proxy's HTML page, say): quote the body instead
            }
            String said = (errorCode == -1 ? "" : " (error_code " + errorCode + ")") + ": "
                    + (message == null ? excerpt(body) : message);
            return new SchemaRegistryException(redact("Schema registry: cannot " + operation + ": " + request
                    + " answered HTTP " + status + said), status, errorCode, null);
        }

        SchemaRegistryException malformed(String expected, String problem) {
            return new SchemaRegistryException(redact("Schema registry: cannot " + operation + ": " + request
                    + " answered HTTP " + status + " but " + (problem != null ? problem : "not with " + expected)
                    + "; body: " + excerpt(body)), status, -1, null);
        }
    }

    /** Settings of a {@link HttpSchemaRegistryClient}; {@link #build()} checks them together. */
    public static final class Builder {
        private final List<String> baseUrls;
        private String userInfo;
        private String bearerToken;
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(String urls) {
            this.baseUrls = parseUrls(urls);
        }

        /** HTTP basic credentials as {@code user:password}; null or empty for none. */
        public Builder basicAuth(String userInfo) {
            this.userInfo = userInfo == null || userInfo.isEmpty() ? null : userInfo;
            return this;
        }

        /** A bearer token; null or empty for none. */
        public Builder bearerToken(String token) {
            this.bearerToken = token == null || token.isEmpty() ? null : token;
            return this;
        }

        /** The limit of one request, connecting included (default 10 s). */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("Schema registry timeout must be positive, not " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The client.
         *
         * @throws IllegalArgumentException when both basic auth and a bearer token are set, or a
         *     credential is malformed; the message never contains the secret
         */
        public HttpSchemaRegistryClient build() {
            if (userInfo != null && bearerToken != null) {
                throw new IllegalArgumentException("Schema registry credentials: both basic auth ("
                        + KelvinConfig.SCHEMA_REGISTRY_BASIC_AUTH_CONFIG + ") and a bearer token ("
                        + KelvinConfig.SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG + ") are set; set only one");
            }
            if (userInfo != null && (userInfo.indexOf(':') < 1 || hasControlCharacter(userInfo))) {
                throw new IllegalArgumentException("Schema registry basic auth ("
                        + KelvinConfig.SCHEMA_REGISTRY_BASIC_AUTH_CONFIG + ") must be user:password");
            }
            if (bearerToken != null && (hasControlCharacter(bearerToken) || !bearerToken.strip().equals(bearerToken))) {
                // A header value cannot carry these; say so without quoting the token.
                throw new IllegalArgumentException("Schema registry bearer token ("
                        + KelvinConfig.SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG
                        + ") contains whitespace or control characters");
            }
            return new HttpSchemaRegistryClient(this);
        }

        private static boolean hasControlCharacter(String s) {
            return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        }

        private static List<String> parseUrls(String urls) {
            if (urls == null || urls.isBlank()) {
                throw new IllegalArgumentException("No schema registry URL given");
            }
            List<String> out = new ArrayList<>();
            String[] parts = urls.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                out.add(parseUrl(parts[i].strip(), i + 1));
            }
            return List.copyOf(out);
        }

        private static String parseUrl(String url, int position) {
            // Quote the URL in errors only without its user info, which may hold a password.
            String shown = url.replaceFirst("//[^/@]*@", "//[redacted]@");
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("Schema registry URL " + position + " '" + shown + "' is not a valid URL");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("Schema registry URL " + position + " '" + shown
                        + "' is not an http:// or https:// URL with a host");
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("Schema registry URL " + position + " '" + shown
                        + "' contains user info; put credentials in " + KelvinConfig.SCHEMA_REGISTRY_BASIC_AUTH_CONFIG);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("Schema registry URL " + position + " '" + shown
                        + "' must not have a query or fragment");
            }
            String base = url;
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            return base;
        }
    }
}
