package io.kelvin.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kelvin.config.KelvinConfig;
import io.kelvin.schema.SensorReading;
import io.kelvin.schema.SetpointCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpSchemaRegistryClientTest {

    private static final String SUBJECT = "kelvin.readings-value";
    private static final Schema READING = SensorReading.getClassSchema();
    private static final String USER_INFO = "kelvin-optimizer:s3cr:et-pw";
    // base64("kelvin-optimizer:s3cr:et-pw"), written out so the test does not reuse the client's encoding.
    private static final String BASIC_HEADER = "Basic a2VsdmluLW9wdGltaXplcjpzM2NyOmV0LXB3";
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.kelvin-token.sig";

    private final List<AutoCloseable> closeAtEnd = new ArrayList<>();
    private FakeConfluentRegistry registry;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = started(FakeConfluentRegistry.start());
    }

    @AfterEach
    void stopEverything() throws Exception {
        // Also releases held requests of the timeout tests.
        for (AutoCloseable c : closeAtEnd) {
            c.close();
        }
    }

    // --- register and look up ---

    @Test
    void shouldRegisterWithOneClientAndLookUpWithAnother() {
        int id = client(registry.url()).register(SUBJECT, READING);

        Schema fetched = client(registry.url()).getById(id);

        assertThat(fetched).isEqualTo(READING);
        assertThat(registry.versionsOf(SUBJECT)).containsExactly(id);
    }

    @Test
    void shouldPostSchemaJsonWithConfluentMediaType() throws IOException {
        client(registry.url()).register(SUBJECT, READING);

        FakeConfluentRegistry.Request post = registry.requests().get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.rawPath()).isEqualTo("/subjects/kelvin.readings-value/versions");
        assertThat(post.header("Accept")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(post.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(post.header("Authorization")).isNull();
        var body = new ObjectMapper().readTree(post.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("schema");
        assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(READING);
    }

    @Test
    void shouldGetSchemaByIdWithConfluentMediaType() {
        int id = registry.preload(SUBJECT, READING.toString());

        client(registry.url()).getById(id);

        FakeConfluentRegistry.Request get = registry.requests().get(0);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.rawPath()).isEqualTo("/schemas/ids/" + id);
        assertThat(get.header("Accept")).isEqualTo("application/vnd.schemaregistry.v1+json");
    }

    @Test
    void shouldGiveTheSameIdForTheSameSchemaAndAskOnlyOnce() {
        HttpSchemaRegistryClient client = client(registry.url());

        int first = client.register(SUBJECT, READING);
        int second = client.register(SUBJECT, new Schema.Parser().parse(READING.toString()));

        assertThat(second).isEqualTo(first);
        assertThat(registry.requests()).hasSize(1);
    }

    @Test
    void shouldKeepGlobalIdsAndPerSubjectVersionsAsTheRegistryAssignsThem() {
        HttpSchemaRegistryClient client = client(registry.url());
        Schema v2 = SchemaBuilder.record("SensorReading").namespace("io.kelvin.schema").fields()
                .requiredString("buildingId").optionalString("firmware").endRecord();

        int v1Id = client.register(SUBJECT, READING);
        int v2Id = client.register(SUBJECT, v2);
        int otherSubjectId = client(registry.url()).register("kelvin.replay-value", READING);

        assertThat(v2Id).isNotEqualTo(v1Id);
        assertThat(otherSubjectId).as("ids are global: same schema, same id").isEqualTo(v1Id);
        assertThat(registry.versionsOf(SUBJECT)).containsExactly(v1Id, v2Id);
        assertThat(registry.versionsOf("kelvin.replay-value")).containsExactly(v1Id);
    }

    @Test
    void shouldCacheLookupsAndKnowWhatItRegisteredWithoutFetching() {
        int id = registry.preload(SUBJECT, READING.toString());
        HttpSchemaRegistryClient reader = client(registry.url());

        for (int i = 0; i < 3; i++) {
            assertThat(reader.getById(id)).isEqualTo(READING);
        }
        HttpSchemaRegistryClient writer = client(registry.url());
        int commandId = writer.register("kelvin.setpoints-value", SetpointCommand.getClassSchema());
        assertThat(writer.getById(commandId)).isEqualTo(SetpointCommand.getClassSchema());

        assertThat(registry.requests()).extracting(FakeConfluentRegistry.Request::method)
                .containsExactly("GET", "POST");
    }

    @Test
    void shouldPercentEncodeTheSubjectAsOnePathSegment() {
        String subject = "site/Zürich b+1?#%-value";

        client(registry.url()).register(subject, READING);

        assertThat(registry.requests().get(0).rawPath())
                .isEqualTo("/subjects/site%2FZ%C3%BCrich%20b%2B1%3F%23%25-value/versions");
        assertThat(registry.versionsOf(subject)).hasSize(1);
    }

    @Test
    void shouldIgnoreTrailingSlashesOfTheBaseUrl() {
        int id = client(registry.url() + "//").register(SUBJECT, READING);

        assertThat(id).isEqualTo(1);
        assertThat(registry.requests().get(0).rawPath()).isEqualTo("/subjects/kelvin.readings-value/versions");
    }

    @Test
    void shouldServeConcurrentCallersConsistently() throws Exception {
        Schema command = SetpointCommand.getClassSchema();
        HttpSchemaRegistryClient client = client(registry.url());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        closeAtEnd.add(pool::shutdownNow);
        List<Callable<List<Integer>>> callers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            callers.add(() -> {
                int readingId = client.register(SUBJECT, READING);
                int commandId = client.register("kelvin.setpoints-value", command);
                assertThat(client.getById(readingId)).isEqualTo(READING);
                return List.of(readingId, commandId);
            });
        }

        List<List<Integer>> results = new ArrayList<>();
        for (Future<List<Integer>> f : pool.invokeAll(callers)) {
            results.add(f.get());
        }

        assertThat(results).containsOnly(List.of(1, 2));
        int requestsAfterWarmUp = registry.requests().size();
        client.register(SUBJECT, READING);
        client.getById(2);
        assertThat(registry.requests()).hasSize(requestsAfterWarmUp);
    }

    // --- credentials ---

    @Test
    void shouldSendBasicAuthExactly() {
        registry.requireAuthorization(BASIC_HEADER);

        client(builder(registry.url()).basicAuth(USER_INFO)).register(SUBJECT, READING);

        assertThat(registry.requests().get(0).header("Authorization")).isEqualTo(BASIC_HEADER);
    }

    @Test
    void shouldSendBearerTokenExactly() {
        registry.requireAuthorization("Bearer " + TOKEN);
        int id = registry.preload(SUBJECT, READING.toString());

        client(builder(registry.url()).bearerToken(TOKEN)).getById(id);

        assertThat(registry.requests().get(0).header("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void shouldReport401WithoutTheWrongPassword() {
        registry.requireAuthorization(BASIC_HEADER);
        HttpSchemaRegistryClient client = client(
                builder(registry.url()).basicAuth("kelvin-optimizer:wrong-pw"));

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register(SUBJECT, READING));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.errorCode()).isEqualTo(401);
        assertThat(e.getMessage())
                .contains("register schema io.kelvin.schema.SensorReading under subject 'kelvin.readings-value'")
                .contains("POST " + registry.url() + "/subjects/kelvin.readings-value/versions")
                .contains("HTTP 401", "Unauthorized")
                .doesNotContain("wrong-pw", "a2VsdmluLW9wdGltaXplcjp3cm9uZy1wdw==");
    }

    @Test
    void shouldRedactSecretsEvenWhenTheRegistryEchoesThem() {
        registry.answerWith(401, "{\"error_code\":401,\"message\":\"rejected Authorization: " + BASIC_HEADER
                + " (" + USER_INFO + ") password s3cr:et-pw, token " + TOKEN + "\"}");
        HttpSchemaRegistryClient basic = client(builder(registry.url()).basicAuth(USER_INFO));
        HttpSchemaRegistryClient bearer = client(builder(registry.url()).bearerToken(TOKEN));

        String basicMessage = catchThrowableOfType(SchemaRegistryException.class, () -> basic.getById(1)).getMessage();
        String bearerMessage = catchThrowableOfType(SchemaRegistryException.class, () -> bearer.getById(1)).getMessage();

        assertThat(basicMessage).contains("HTTP 401", "[redacted]")
                .doesNotContain("s3cr:et-pw", "a2VsdmluLW9wdGltaXplcjpzM2NyOmV0LXB3");
        assertThat(bearerMessage).contains("HTTP 401", "[redacted]").doesNotContain(TOKEN);
        assertThat(basic).hasToString("HttpSchemaRegistryClient[" + registry.url()
                + "] (basic auth as kelvin-optimizer, timeout 5000 ms)");
        assertThat(bearer.toString()).contains("bearer token").doesNotContain(TOKEN);
    }

    @Test
    void shouldRefuseBasicAuthAndBearerTokenTogetherAtConstruction() {
        assertThatThrownBy(() -> builder(registry.url())
                        .basicAuth(USER_INFO).bearerToken(TOKEN).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kelvin.schema.registry.basic.auth.user.info")
                .hasMessageContaining("kelvin.schema.registry.bearer.token")
                .hasMessageContaining("set only one")
                .hasMessageNotContaining("s3cr")
                .hasMessageNotContaining(TOKEN);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            user info without a colon   | http://127.0.0.1:1                 | s3cret-only      | must be user:password
            user info with empty user   | http://127.0.0.1:1                 | :s3cret          | must be user:password
            URL with user info          | http://kelvin:s3cret@127.0.0.1:1   |                  | contains user info
            URL not http                | ftp://127.0.0.1:1                  |                  | not an http:// or https:// URL
            empty entry in URL list     | http://127.0.0.1:1,,http://h:2     |                  | URL 2
            URL with a query            | http://127.0.0.1:1/?x=1            |                  | query or fragment
            """)
    void shouldRefuseBadSettingsWithoutQuotingSecrets(String why, String urls, String userInfo, String expected) {
        assertThatThrownBy(() -> HttpSchemaRegistryClient.builder(urls).basicAuth(userInfo).build())
                .as(why)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected)
                .hasMessageNotContaining("s3cret");
    }

    // --- errors the registry answers ---

    @Test
    void shouldReportUnknownIdAs404With40403() {
        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client(registry.url()).getById(999));

        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.errorCode()).isEqualTo(40403);
        assertThat(e).hasMessage("Schema registry: cannot fetch schema id 999: GET " + registry.url()
                + "/schemas/ids/999 answered HTTP 404 (error_code 40403): Schema 999 not found");
    }

    @Test
    void shouldNotCacheFailures() {
        HttpSchemaRegistryClient client = client(registry.url());
        assertThatThrownBy(() -> client.getById(1)).isInstanceOf(SchemaRegistryException.class);

        int id = registry.preload(SUBJECT, READING.toString());

        assertThat(client.getById(id)).isEqualTo(READING);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource(delimiter = '|', textBlock = """
            409 | {"error_code":409,"message":"Schema being registered is incompatible with an earlier schema"} | 409   | Schema being registered is incompatible with an earlier schema
            422 | {"error_code":42201,"message":"Invalid schema"}                                              | 42201 | Invalid schema
            500 | {"error_code":50001,"message":"Error in the backend data store"}                              | 50001 | Error in the backend data store
            502 | <html><body><h1>502 Bad Gateway</h1></body></html>                                            | -1    | <html><body><h1>502 Bad Gateway</h1></body></html>
            503 | ''                                                                                            | -1    | (empty body)
            """)
    void shouldReportEveryErrorStatusWithWhatFailedAndWhatTheRegistrySaid(
            int status, String body, int errorCode, String registrySaid) {
        registry.answerWith(status, body);

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client(registry.url()).register(SUBJECT, READING));

        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.errorCode()).isEqualTo(errorCode);
        assertThat(e).hasMessage("Schema registry: cannot register schema io.kelvin.schema.SensorReading under subject"
                + " 'kelvin.readings-value': POST " + registry.url() + "/subjects/kelvin.readings-value/versions"
                + " answered HTTP " + status + (errorCode == -1 ? "" : " (error_code " + errorCode + ")")
                + ": " + registrySaid);
    }

    @ParameterizedTest(name = "{0} answered {1}")
    @CsvSource(delimiter = '|', textBlock = """
            register | not json                                         | not with a JSON object
            register | {}                                               | not with {"id": <int>}
            register | {"id":"seven"}                                   | not with {"id": <int>}
            register | {"id":4294967296}                                | not with {"id": <int>}
            lookup   | []                                               | not with a JSON object
            lookup   | {"id":7}                                         | not with {"schema": "<Avro schema JSON>"}
            lookup   | {"schema":"{\\"type\\":\\"record\\"}"}           | not a valid Avro schema
            lookup   | {"schemaType":"PROTOBUF","schema":"message M {}"} | schema 7 is a PROTOBUF schema
            """)
    void shouldReportMalformedSuccessBodies(String operation, String body, String problem) {
        registry.answerWith(200, body);
        HttpSchemaRegistryClient client = client(registry.url());

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> {
                    if (operation.equals("register")) {
                        client.register(SUBJECT, READING);
                    } else {
                        client.getById(7);
                    }
                });

        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.getMessage())
                .contains(operation.equals("register") ? "subject 'kelvin.readings-value'" : "schema id 7")
                .contains("answered HTTP 200 but " + problem)
                .contains("body: " + body);
    }

    // --- time and connections ---

    @Test
    void shouldTimeOutASlowRegistryWithoutTryingTheNextUrl() throws IOException {
        FakeConfluentRegistry second = started(FakeConfluentRegistry.start());
        registry.holdRequests(); // released in teardown, not waited for here
        HttpSchemaRegistryClient client = client(builder(registry.url() + "," + second.url())
                .timeout(Duration.ofMillis(300)));

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client.getById(3));

        assertThat(e.httpStatus()).isEqualTo(-1);
        assertThat(e).hasMessage("Schema registry: cannot fetch schema id 3: GET " + registry.url()
                + "/schemas/ids/3 timed out after 300 ms");
        assertThat(second.requests()).as("a slow answer is not a connection failure").isEmpty();
    }

    @Test
    void shouldFailOverWhenTheFirstUrlRefusesConnections() throws IOException {
        String refusing = "http://127.0.0.1:" + refusingPort();
        HttpSchemaRegistryClient client = client(refusing + "," + registry.url());

        int id = client.register(SUBJECT, READING);

        assertThat(client(refusing + ", " + registry.url()).getById(id)).isEqualTo(READING);
        assertThat(registry.requests()).hasSize(2);
    }

    @Test
    void shouldKeepUsingTheUrlThatAnsweredAfterAFailover() throws IOException {
        DroppingServer dropping = started(new DroppingServer());
        HttpSchemaRegistryClient client = client(dropping.url() + "," + registry.url());
        int commandId = registry.preload("kelvin.setpoints-value", SetpointCommand.getClassSchema().toString());

        client.register(SUBJECT, READING);
        client.getById(commandId);

        assertThat(dropping.connections()).as("dropped once, then skipped").isEqualTo(1);
        assertThat(registry.requests()).hasSize(2);
    }

    @Test
    void shouldNameEveryUrlThatCouldNotBeReached() throws IOException {
        String first = "http://127.0.0.1:" + refusingPort();
        String second = "http://127.0.0.1:" + refusingPort();

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client(first + "," + second).register(SUBJECT, READING));

        assertThat(e.httpStatus()).isEqualTo(-1);
        assertThat(e).hasMessage("Schema registry: cannot register schema io.kelvin.schema.SensorReading under subject"
                + " 'kelvin.readings-value': no registry URL could be reached: "
                + first + "/subjects/kelvin.readings-value/versions (connection refused); "
                + second + "/subjects/kelvin.readings-value/versions (connection refused)");
    }

    // --- configuration ---

    @Test
    void shouldBeOpenedFromKelvinConfigForHttpUrls() {
        registry.requireAuthorization(BASIC_HEADER);
        KelvinConfig config = KelvinConfig.of(Map.of(
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url() + ",https://registry-2.example:8081",
                KelvinConfig.SCHEMA_REGISTRY_BASIC_AUTH_CONFIG, USER_INFO,
                KelvinConfig.SCHEMA_REGISTRY_TIMEOUT_MS_CONFIG, "2500"));

        SchemaRegistryClient opened = SchemaRegistries.open(config);

        assertThat(opened).isInstanceOf(HttpSchemaRegistryClient.class);
        HttpSchemaRegistryClient http = (HttpSchemaRegistryClient) opened;
        assertThat(http.baseUrls()).containsExactly(registry.url(), "https://registry-2.example:8081");
        assertThat(http.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(http.register(SUBJECT, READING)).isEqualTo(1);
        assertThat(registry.requests().get(0).header("Authorization")).isEqualTo(BASIC_HEADER);
    }

    @Test
    void shouldRefuseAConfigWithBothCredentials() {
        KelvinConfig config = KelvinConfig.of(Map.of(
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, "https://registry.example:8081",
                KelvinConfig.SCHEMA_REGISTRY_BASIC_AUTH_CONFIG, USER_INFO,
                KelvinConfig.SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG, TOKEN));

        assertThatThrownBy(() -> SchemaRegistries.open(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set only one")
                .hasMessageNotContaining("s3cr")
                .hasMessageNotContaining(TOKEN);
    }

    // --- helpers ---

    private HttpSchemaRegistryClient client(String urls) {
        return client(builder(urls));
    }

    private HttpSchemaRegistryClient client(HttpSchemaRegistryClient.Builder builder) {
        HttpSchemaRegistryClient client = builder.build();
        closeAtEnd.add(client);
        return client;
    }

    /** Generous timeout: only the timeout test relies on the limit, and it sets its own. */
    private static HttpSchemaRegistryClient.Builder builder(String urls) {
        return HttpSchemaRegistryClient.builder(urls).timeout(Duration.ofSeconds(5));
    }

    private <T extends AutoCloseable> T started(T resource) {
        closeAtEnd.add(resource);
        return resource;
    }

    /** A loopback port nothing listens on: bound, then released. */
    private static int refusingPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Accepts connections and closes them at once, as a crashing registry node would. */
    private static final class DroppingServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();

        DroppingServer() throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket connection = socket.accept();
                        connections.incrementAndGet();
                        connection.close();
                    } catch (IOException e) {
                        return; // closed at test end
                    }
                }
            }, "dropping-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
