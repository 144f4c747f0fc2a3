package io.kelvin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.broker.EmbeddedKafkaBroker;
import io.kelvin.broker.TopicProvisioner;
import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.ModelContract;
import io.kelvin.inference.TestModels;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.release.ReleaseLog;
import io.kelvin.release.ReleaseLog.Entry;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kelvin model publish|list|inspect|rollback} against a real broker and Kelvin's registry in a topic. */
class ModelCommandIntegrationTest {
    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static String registryUrl;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"));
        registryUrl = "kafka://" + broker.bootstrapServers() + "/_kelvin_schemas";
        KelvinConfig config = config();
        try (SchemaRegistryClient registry = SchemaRegistries.open(config); Admin admin = Admin.create(config.clientSettings())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).createMissing(new TopicCatalogue(config, new KelvinSerdes(registry)));
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static KelvinConfig config() {
        return KelvinConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers(),
                KelvinConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl, KelvinConfig.TOPIC_PARTITIONS_CONFIG, "2"));
    }

    private int kelvin(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", broker.bootstrapServers(), "--schema-registry-url", registryUrl));
        CommandLine cli = KelvinCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(all.toArray(String[]::new));
    }

    private static Path model(String name, TestModels model) throws Exception {
        return Files.write(dir.resolve(name + ".onnx"), model.bytes());
    }

    private static List<Entry> history(String key) {
        KelvinConfig config = config();
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            return new ReleaseLog(new TopicCatalogue(config, new KelvinSerdes(registry)), config.clientSettings(), Duration.ofSeconds(30)).history(key);
        }
    }

    @Test
    void shouldPublishListInspectAndRollBackReleases() throws Exception {
        Path v1 = model("v1", TestModels.linear().metadata(ModelContract.META_VERSION, "b7-v1"));
        Path v2 = model("v2", TestModels.linear().metadata(ModelContract.META_VERSION, "b7-v2"));

        assertThat(kelvin("model", "publish", "--key", "b7", "--file", v1.toString())).as(err.toString()).isZero();
        assertThat(kelvin("model", "publish", "--key", "b7", "--file", v2.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Published b7 version b7-v1").contains("Published b7 version b7-v2");

        out.getBuffer().setLength(0);
        assertThat(kelvin("model", "list", "--key", "b7")).isZero();
        assertThat(out.toString()).containsPattern("b7\\s+b7-v1 .* superseded").containsPattern("b7\\s+b7-v2 .* latest").contains("2 releases");

        out.getBuffer().setLength(0);
        assertThat(kelvin("model", "inspect", "--key", "b7")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Version:   b7-v2").contains("Features:  " + String.join(", ", TestModels.FEATURES))
                .contains("Contract:  passed");

        out.getBuffer().setLength(0);
        assertThat(kelvin("model", "rollback", "--key", "b7")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Rolled b7 back to version b7-v1");
        List<Entry> afterRollback = history("b7");
        assertThat(afterRollback).extracting(e -> e.release().getVersion()).containsExactly("b7-v1", "b7-v2", "b7-v1");
        assertThat(afterRollback.get(2).release().getOnnx()).isEqualTo(afterRollback.get(0).release().getOnnx());

        assertThat(kelvin("model", "rollback", "--key", "b7", "--withdraw")).isZero();
        assertThat(history("b7").get(3).withdrawn()).isTrue();
    }

    @Test
    void shouldRefuseToPublishAModelThatBreaksTheContract() throws Exception {
        Path nan = model("nan", TestModels.linear().metadata(ModelContract.META_VERSION, "nan-1").nanOutput());

        assertThat(kelvin("model", "publish", "--key", "b8", "--file", nan.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("Rejected (non-finite-output)");
        assertThat(history("b8")).isEmpty();

        assertThat(kelvin("model", "inspect", "--file", nan.toString())).isEqualTo(1);
        assertThat(kelvin("model", "publish", "--key", "b8", "--file", dir.resolve("absent.onnx").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no model file");
        assertThat(kelvin("model", "rollback", "--key", "nobody")).isEqualTo(2);
        assertThat(err.toString()).contains("no release of nobody");
    }
}
