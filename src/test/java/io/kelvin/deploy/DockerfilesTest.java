package io.kelvin.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Dockerfiles follow the rules a linter such as hadolint would hold them to, and copy the
 * layout that RuntimeImageIntegrationTest checks, started by its launcher. No Docker engine is
 * needed (and none runs in CI).
 */
class DockerfilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
    void shouldPinBaseImagesAndRunTheTestedLayoutAsANonRootUser(String name) throws IOException {
        Path file = Path.of("docker", name);
        List<String> lines = instructions(file);

        List<String> bases = lines.stream().filter(l -> l.startsWith("FROM ")).map(l -> l.split("\\s+")[1]).collect(Collectors.toList());
        assertThat(bases).hasSize(2).allMatch(b -> b.matches("[\\w./-]+:[\\w.-]+") && !b.endsWith(":latest"), "pinned to a tag, not latest");
        assertThat(lines).noneMatch(l -> l.startsWith("ADD "));
        assertThat(lines).filteredOn(l -> l.contains("apt-get install")).allMatch(l -> l.contains("--no-install-recommends"));
        assertThat(lines).anyMatch(l -> l.startsWith("RUN ") && l.contains("mvn ") && l.contains(" package")
                && (name.endsWith(".cuda") == l.contains("-Pgpu")));
        assertThat(lines).contains("COPY --from=build /src/target/image/ /opt/kelvin/");
        assertThat(lines.get(lines.size() - 2)).isEqualTo("ENTRYPOINT [\"/opt/kelvin/bin/kelvin\"]");
        assertThat(runtimeUser(file)).matches("[1-9]\\d*:[1-9]\\d*");
        if (name.endsWith(".cuda")) {
            // onnxruntime_gpu 1.29 needs the CUDA 12 runtime >= 12.8 and cuDNN 9.
            assertThat(bases.get(1)).matches("nvidia/cuda:12\\.(8|9|\\d\\d)\\.\\d+-cudnn-runtime-ubuntu\\d+\\.\\d+");
        }
    }

    /** The numeric uid:gid of the last USER instruction. */
    static String runtimeUser(Path dockerfile) throws IOException {
        List<String> users = instructions(dockerfile).stream().filter(l -> l.startsWith("USER ")).collect(Collectors.toList());
        assertThat(users).as("USER in " + dockerfile).isNotEmpty();
        return users.get(users.size() - 1).substring("USER ".length()).trim();
    }

    /** Instructions with continuation lines joined, comments dropped. */
    private static List<String> instructions(Path file) throws IOException {
        String joined = Files.readAllLines(file).stream()
                .filter(l -> !l.stripLeading().startsWith("#"))
                .collect(Collectors.joining("\n"))
                .replaceAll("\\\\\n\\s*", " ");
        Matcher blank = Pattern.compile("\\s+$").matcher("");
        return joined.lines().map(l -> blank.reset(l).replaceAll("")).filter(l -> !l.isBlank()).collect(Collectors.toList());
    }
}
