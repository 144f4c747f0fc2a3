package io.kelvin.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/** The manifests under k8s/ and keda/ as Jackson trees, for tests that compare them with the code. */
final class Manifests {
    static final Path BASE = Path.of("k8s", "base");
    static final Path GPU = Path.of("k8s", "overlays", "gpu");
    static final Path KEDA = Path.of("keda");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {}

    /** Every document of {@code file}. */
    static List<JsonNode> read(Path file) {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            List<JsonNode> out = new ArrayList<>();
            docs.forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    out.add(d);
                }
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one object of {@code kind} named {@code name} in {@code file}. */
    static JsonNode object(Path file, String kind, String name) {
        return read(file).stream()
                .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + file));
    }

    /** The container named kelvin of a workload. */
    static JsonNode kelvinContainer(JsonNode workload) {
        return stream(workload.path("spec").path("template").path("spec").path("containers"))
                .filter(c -> "kelvin".equals(c.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container kelvin in " + workload.path("metadata").path("name")));
    }

    /** The container's env entries by name (a value, or its valueFrom node). */
    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        stream(container.path("env")).forEach(e -> out.put(e.path("name").asText(), e));
        return out;
    }

    /** KEY=VALUE literals of the configMapGenerator entry {@code name} in {@code dir}'s kustomization. */
    static Map<String, String> literals(Path dir, String name) {
        JsonNode kustomization = read(dir.resolve("kustomization.yaml")).get(0);
        Map<String, String> out = new LinkedHashMap<>();
        stream(kustomization.path("configMapGenerator"))
                .filter(g -> name.equals(g.path("name").asText()))
                .flatMap(g -> stream(g.path("literals")))
                .forEach(l -> {
                    String text = l.asText();
                    out.put(text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
                });
        return out;
    }

    static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
