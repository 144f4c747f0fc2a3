package io.kelvin.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The build's CycloneDX software bill of materials (written at {@code package}, before the
 * integration tests run): both formats exist and list what Kelvin ships, native inference runtime
 * and Kafka Streams included, and no test-only dependency.
 */
class SbomIntegrationTest {
    private static final Path TARGET = Path.of("target");

    @Test
    void shouldListTheShippedDependenciesInTheBillOfMaterials() throws IOException {
        assumeFalse(mavenRanOffline(), "Maven ran offline (-o): the CycloneDX plugin needs online mode and wrote no bill of materials");
        Path json = TARGET.resolve("bom.json");
        assertThat(json).exists();
        assertThat(TARGET.resolve("bom.xml")).exists();

        JsonNode bom = new ObjectMapper().readTree(json.toFile());
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.path("metadata").path("component").path("name").asText()).isEqualTo("kelvin");
        List<String> components = new ArrayList<>();
        bom.path("components").forEach(c -> components.add(c.path("group").asText() + ":" + c.path("name").asText()));
        // onnxruntime, or onnxruntime_gpu under the gpu profile.
        assertThat(components).anyMatch(c -> c.startsWith("com.microsoft.onnxruntime:onnxruntime"));
        assertThat(components).contains("org.apache.kafka:kafka-streams",
                "org.apache.kafka:kafka-clients", "org.apache.avro:avro");
        assertThat(components).noneMatch(c -> c.startsWith("com.code-intelligence:") || c.startsWith("org.junit"));
        bom.path("components").forEach(c -> assertThat(c.path("purl").asText()).as("purl of %s", c.path("name")).startsWith("pkg:maven/"));
    }

    private static boolean mavenRanOffline() throws IOException {
        Properties build = new Properties();
        try (InputStream in = SbomIntegrationTest.class.getResourceAsStream("/kelvin-build.properties")) {
            build.load(in);
        }
        return Boolean.parseBoolean(build.getProperty("maven.offline"));
    }
}
