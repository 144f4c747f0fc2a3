package io.kelvin.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.kelvin.inference.ModelRejectedException;
import io.kelvin.schema.ModelRelease;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a release's bytes come from, and the checks that keep wrong bytes from being loaded. */
class ModelSourceTest {
    private static final byte[] MODEL = "pretend-onnx-bytes".getBytes(StandardCharsets.UTF_8);
    private final ModelSource source = new ModelSource(1024, Duration.ofSeconds(5));
    private HttpServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static ModelRelease.Builder release() {
        return ModelRelease.newBuilder().setModelKey("b1").setVersion("v1").setCreatedAt(Instant.EPOCH)
                .setSha256(ModelSource.sha256Hex(MODEL)).setFeatureNames(List.of("indoor_mean_c"));
    }

    @Test
    void shouldReturnInlineBytesThatMatchTheirDigest() throws Exception {
        assertThat(source.bytesOf(release().setOnnx(ByteBuffer.wrap(MODEL)).build())).isEqualTo(MODEL);
        assertThat(source.bytesOf(release().setOnnx(ByteBuffer.wrap(MODEL)).setSha256(ModelSource.sha256Hex(MODEL).toUpperCase()).build()))
                .as("hex digits in either case").isEqualTo(MODEL);
    }

    @Test
    void shouldRejectBytesThatDoNotHashToTheDeclaredDigest() {
        ModelRelease r = release().setOnnx(ByteBuffer.wrap("other".getBytes(StandardCharsets.UTF_8))).build();
        assertThatThrownBy(() -> source.bytesOf(r)).isInstanceOf(ModelRejectedException.class)
                .satisfies(e -> assertThat(((ModelRejectedException) e).reason().code()).isEqualTo("sha256-mismatch"))
                .hasMessageContaining(ModelSource.sha256Hex(MODEL));
    }

    @Test
    void shouldRejectAReleaseWithBothOrNeitherSource() {
        assertThat(reason(release().setOnnx(ByteBuffer.wrap(MODEL)).setUri("file:/x.onnx").build())).isEqualTo("ambiguous-source");
        assertThat(reason(release().build())).isEqualTo("no-model-bytes");
    }

    @Test
    void shouldFetchAFileUriAndRefuseOneTooLarge() throws Exception {
        Path file = Files.write(dir.resolve("m.onnx"), MODEL);
        assertThat(source.bytesOf(release().setUri(file.toUri().toString()).build())).isEqualTo(MODEL);

        Path big = Files.write(dir.resolve("big.onnx"), new byte[2048]);
        assertThat(reason(release().setUri(big.toUri().toString()).build())).isEqualTo("too-large");
        assertThat(reason(release().setUri(dir.resolve("missing.onnx").toUri().toString()).build())).isEqualTo("fetch-failed");
        assertThat(reason(release().setUri("ftp://models.example.com/m.onnx").build())).isEqualTo("fetch-failed");
    }

    @Test
    void shouldFetchAnHttpUriAndSayWhatTheServerAnswered() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/m.onnx", exchange -> {
            exchange.sendResponseHeaders(200, MODEL.length);
            exchange.getResponseBody().write(MODEL);
            exchange.close();
        });
        server.createContext("/gone.onnx", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();

        assertThat(source.bytesOf(release().setUri(base + "/m.onnx").build())).isEqualTo(MODEL);
        assertThatThrownBy(() -> source.bytesOf(release().setUri(base + "/gone.onnx").build()))
                .isInstanceOf(ModelRejectedException.class).hasMessageContaining("HTTP 404");
    }

    private String reason(ModelRelease r) {
        try {
            source.bytesOf(r);
            throw new AssertionError("accepted " + r);
        } catch (ModelRejectedException e) {
            return e.reason().code();
        }
    }
}
