package io.kelvin.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Every schema in {@code schemas/} stays backward and forward compatible with its released v1,
 * kept under {@code src/test/resources/schemas-v1/} (copied from the commit that introduced each
 * file; git history is not reliably available in CI clones). Backward: today's reader reads v1
 * data (the changelogs and topics already written). Forward: a v1 reader (an instance not yet
 * upgraded in a rolling deploy, or a BMS integration) reads today's data. A change that needs to
 * break this needs a new record name and a migration, not an edit.
 */
class SchemaCompatibilityWithV1Test {
    private static final Path CURRENT = Path.of("schemas");
    private static final Path V1 = Path.of("src", "test", "resources", "schemas-v1");
    /** Named types other schemas refer to, in dependency order; parsed first. */
    private static final List<String> SHARED = List.of("Metric.avsc", "SetpointSource.avsc", "SetpointCommand.avsc", "BuildingWindow.avsc");

    @Test
    void shouldKeepEveryCurrentSchemaBackwardAndForwardCompatibleWithV1() throws IOException {
        Map<String, Schema> current = parseAll(CURRENT);
        Map<String, Schema> v1 = parseAll(V1);

        assertThat(current.keySet()).as("schemas released in v1 are never removed").containsAll(v1.keySet());
        for (Map.Entry<String, Schema> released : v1.entrySet()) {
            Schema now = current.get(released.getKey());
            assertThat(compatibility(now, released.getValue()))
                    .as("backward: current %s reads v1 data", released.getKey()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            assertThat(compatibility(released.getValue(), now))
                    .as("forward: v1 %s reads current data", released.getKey()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
        assertThat(v1).containsKeys("SensorReading.avsc", "SetpointCommand.avsc", "ModelRelease.avsc", "BuildingProfile.avsc");
    }

    @Test
    void shouldCatchAFieldAddedWithoutADefaultAsBackwardIncompatible() {
        // The check above is only worth something if it fails on the commonest mistake.
        Schema v1 = SensorReading.getClassSchema();
        String json = v1.toString().replace("\"fields\":[", "\"fields\":[{\"name\":\"quality\",\"type\":\"int\"},");
        Schema withRequiredField = new Schema.Parser().parse(json);

        assertThat(compatibility(withRequiredField, v1)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(compatibility(v1, withRequiredField)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static SchemaCompatibilityType compatibility(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType();
    }

    /** Every schema of a directory, shared named types first, by file name. */
    private static Map<String, Schema> parseAll(Path dir) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> out = new TreeMap<>();
        for (String shared : SHARED) {
            out.put(shared, parser.parse(dir.resolve(shared).toFile()));
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (!out.containsKey(name)) {
                    out.put(name, parser.parse(file.toFile()));
                }
            }
        }
        return out;
    }
}
