package io.kelvin.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the container images copy to {@code /opt/kelvin}: {@code target/image}, built by
 * {@code mvn package} (jlink'd runtime, jar, libraries, launcher). Checked here without a
 * Docker engine: the runtime has the modules the pom names and every module jdeps finds, the
 * image's start command runs on that runtime alone, and the natives and providers Kelvin
 * reaches by name at run time load in it.
 */
class RuntimeImageIntegrationTest {

    private static final Path IMAGE = Path.of("target", "image").toAbsolutePath();
    private static final Path JAVA = IMAGE.resolve("runtime/bin/java");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** No JAVA_HOME and no JDK on the path: only the image's own runtime can run. */
    private static final Map<String, String> BARE_ENV = Map.of("PATH", "/usr/bin:/bin");

    @Test
    void shouldHaveEveryModuleThePomNamesInTheRuntime() throws Exception {
        ProcessRun run = ProcessRun.of(List.of(JAVA.toString(), "--list-modules"), BARE_ENV, IMAGE, TIMEOUT);

        assertThat(run.exitCode()).as(run.output()).isZero();
        Set<String> modules = run.output().lines().map(line -> line.split("@")[0].trim()).collect(Collectors.toSet());
        assertThat(modules).containsAll(pomModules());
    }

    @Test
    void shouldNameEveryModuleJdepsFindsInTheJarAndItsLibraries() throws Exception {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("jdeps needs a JDK"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = jdeps.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "--ignore-missing-deps", "--print-module-deps", "--multi-release", "17",
                "--class-path", IMAGE.resolve("lib") + "/*", IMAGE.resolve("kelvin.jar").toString());

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
        Set<String> found = new TreeSet<>(Arrays.asList(lines.get(lines.size() - 1).trim().split(",")));
        assertThat(found).contains("java.base").allMatch(m -> m.startsWith("java.") || m.startsWith("jdk."));
        assertThat(pomModules()).as("kelvin.runtime.modules in pom.xml must name every module jdeps finds").containsAll(found);
    }

    @Test
    void shouldRunTheStartCommandOnTheJlinkedRuntime() throws Exception {
        Path launcher = IMAGE.resolve("bin/kelvin");
        assertThat(Files.isExecutable(launcher)).as(launcher + " executable").isTrue();

        ProcessRun help = ProcessRun.of(List.of(launcher.toString(), "--help"), BARE_ENV, IMAGE, TIMEOUT);
        ProcessRun optimizerHelp = ProcessRun.of(List.of(launcher.toString(), "optimizer", "--help"), BARE_ENV, IMAGE, TIMEOUT);

        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("optimizer", "trainer");
        assertThat(optimizerHelp.exitCode()).as(optimizerHelp.output()).isZero();
        assertThat(optimizerHelp.output()).contains("--config");
    }

    @Test
    void shouldLoadNativesAndProvidersInTheRuntimeWithNativesExtractedToTmpdir(@TempDir Path tmp) throws Exception {
        String classPath = String.join(":", IMAGE.resolve("kelvin.jar").toString(), IMAGE.resolve("lib") + "/*",
                Path.of("target", "test-classes").toAbsolutePath().toString());

        ProcessRun probe = ProcessRun.of(List.of(JAVA.toString(), "-Djava.io.tmpdir=" + tmp, "-cp", classPath,
                RuntimeImageProbe.class.getName()), BARE_ENV, IMAGE, TIMEOUT);

        assertThat(probe.exitCode()).as(probe.output()).isZero();
        assertThat(probe.output()).contains("rocksdb ok v", "onnxruntime ok", "tls ok ecdhe=true", "sasl ok gssapi=true",
                "httpserver ok", "management ok memory=true");
        // Both native libraries land under java.io.tmpdir: why the pods mount a writable /tmp.
        assertThat(probe.output()).containsPattern("tmp librocksdbjni.*\\.so").containsPattern("tmp libonnxruntime.*\\.so");
    }

    @Test
    void shouldShipEveryLibraryOfTheJarsClassPathWithOnlyThisPlatformsNatives() throws Exception {
        try (JarFile jar = new JarFile(IMAGE.resolve("kelvin.jar").toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            assertThat(classPath.split(" ")).isNotEmpty()
                    .allSatisfy(entry -> assertThat(IMAGE.resolve(entry)).as(entry).isRegularFile());
        }
        assertThat(nativeEntries("rocksdbjni-")).containsExactly("librocksdbjni-linux64.so");
        assertThat(nativeEntries("onnxruntime")).isNotEmpty()
                .allMatch(name -> name.startsWith("ai/onnxruntime/native/linux-x64/"))
                .anyMatch(name -> name.endsWith("/libonnxruntime.so"));
    }

    private static List<String> nativeEntries(String jarPrefix) throws IOException {
        Path jarPath;
        try (Stream<Path> libs = Files.list(IMAGE.resolve("lib"))) {
            jarPath = libs.filter(p -> p.getFileName().toString().startsWith(jarPrefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + jarPrefix + "*.jar in " + IMAGE.resolve("lib")));
        }
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            return jar.stream().map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".so") || n.endsWith(".dll") || n.endsWith(".dylib") || n.endsWith(".jnilib"))
                    .sorted().collect(Collectors.toList());
        }
    }

    /** The modules pom.xml gives jlink ({@code kelvin.runtime.modules}). */
    static Set<String> pomModules() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("pom.xml"))) {
            String list = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in)
                    .getElementsByTagName("kelvin.runtime.modules").item(0).getTextContent();
            return Arrays.stream(list.split(",")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
