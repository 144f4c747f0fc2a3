package io.kelvin.optimizer;

import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.ModelRejectedException;
import io.kelvin.inference.ModelRejectedException.Reason;
import io.kelvin.schema.ModelRelease;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where a release's ONNX bytes come from: inline in the record, or fetched from its URI
 * ({@code file:}, {@code http:} or {@code https:}) for models larger than a record may be. Either
 * way the bytes must not exceed {@code kelvin.models.max.bytes} and must hash to the release's
 * declared SHA-256, so a truncated download or a swapped file is rejected, never loaded.
 */
public final class ModelSource {
    private final int maxBytes;
    private final Duration timeout;
    private final HttpClient http;

    public ModelSource(int maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public static ModelSource fromConfig(KelvinConfig config) {
        return new ModelSource(config.getInt(KelvinConfig.MODELS_MAX_BYTES_CONFIG),
                Duration.ofMillis(config.getInt(KelvinConfig.MODELS_FETCH_TIMEOUT_MS_CONFIG)));
    }

    /** The release's ONNX bytes, checked for size and digest. */
    public byte[] bytesOf(ModelRelease release) throws ModelRejectedException {
        ByteBuffer inline = release.getOnnx();
        String uri = release.getUri();
        if (inline != null && uri != null) {
            throw new ModelRejectedException(Reason.AMBIGUOUS_SOURCE, "the release has both inline bytes and a uri (" + uri + ")");
        }
        byte[] bytes;
        if (inline != null) {
            ByteBuffer b = inline.duplicate();
            bytes = new byte[b.remaining()];
            b.get(bytes);
        } else if (uri != null) {
            bytes = fetch(uri);
        } else {
            throw new ModelRejectedException(Reason.NO_MODEL_BYTES, "the release has neither inline bytes nor a uri");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(bytes.length);
        }
        String actual = sha256Hex(bytes);
        if (!actual.equals(release.getSha256().toLowerCase(Locale.ROOT))) {
            throw new ModelRejectedException(Reason.SHA256_MISMATCH, "the model's SHA-256 is " + actual + ", the release declares " + release.getSha256());
        }
        return bytes;
    }

    /**
     * Reads {@code spec}: {@code classpath:RESOURCE} or a file path. For the bundled model and
     * the command line; a missing model is an error naming what was looked for.
     */
    public static byte[] read(String spec) throws IOException {
        if (spec.startsWith("classpath:")) {
            String resource = spec.substring("classpath:".length());
            try (InputStream in = ModelSource.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no resource " + resource + " on the classpath");
                }
                return in.readAllBytes();
            }
        }
        return Files.readAllBytes(Path.of(spec));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JRE", e);
        }
    }

    private byte[] fetch(String uri) throws ModelRejectedException {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new ModelRejectedException(Reason.FETCH_FAILED, "not a URI: " + uri);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        try {
            switch (scheme) {
                case "file": {
                    Path path = Path.of(parsed);
                    long size = Files.size(path);
                    if (size > maxBytes) {
                        throw tooLarge(size);
                    }
                    return Files.readAllBytes(path);
                }
                case "http":
                case "https": {
                    HttpRequest request = HttpRequest.newBuilder(parsed).timeout(timeout).GET().build();
                    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream body = response.body()) {
                        if (response.statusCode() != 200) {
                            throw new ModelRejectedException(Reason.FETCH_FAILED, "GET " + uri + " answered HTTP " + response.statusCode());
                        }
                        byte[] bytes = body.readNBytes(maxBytes + 1);
                        if (bytes.length > maxBytes) {
                            throw tooLarge(bytes.length);
                        }
                        return bytes;
                    }
                }
                default:
                    throw new ModelRejectedException(Reason.FETCH_FAILED, "unsupported URI scheme in " + uri + " (file, http and https are)");
            }
        } catch (IOException e) {
            throw new ModelRejectedException(Reason.FETCH_FAILED, "cannot read " + uri + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelRejectedException(Reason.FETCH_FAILED, "interrupted while fetching " + uri);
        }
    }

    private ModelRejectedException tooLarge(long size) {
        return new ModelRejectedException(Reason.TOO_LARGE, "the model has " + size + " bytes; kelvin.models.max.bytes allows " + maxBytes);
    }
}
