package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.OnnxModel;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.release.ReleaseLog;
import io.kelvin.release.Releases;
import io.kelvin.schema.ModelRelease;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kelvin model publish}: validates an ONNX model and appends it to {@code kelvin.models}. */
@Command(name = "publish",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Validates an ONNX model against the model contract and publishes it as a release for one building or for all.",
            "",
            "The version and feature names come from the model's metadata (kelvin.model_version, kelvin.feature_names). "
                    + "A model that fails a check is not published: the reason is printed and the exit code is 1. "
                    + "Models up to about 16 MiB travel inline; give --uri for larger ones (the optimizer fetches the file "
                    + "and checks its SHA-256).",
        },
        footer = {
            "",
            "Examples:",
            "  kelvin model publish --key b-0042 --file b-0042.onnx --config kelvin.properties",
            "  kelvin model publish --key __global__ --file global.onnx \\",
            "      --uri https://models.example.com/global-2026-11-23.onnx --config kelvin.properties",
        })
public final class ModelPublishCommand implements Callable<Integer> {
    /** Room left in a record for everything but the model bytes. */
    static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--key", required = true, paramLabel = "KEY",
            description = "Building id, or __global__ for the pooled model that serves buildings without their own.")
    String key;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The ONNX model.")
    Path file;

    @Option(names = "--uri", paramLabel = "URI",
            description = "Publish only this location (file:, http: or https:) and the file's SHA-256, not the bytes.")
    String uri;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (key.isBlank()) {
            throw new IllegalArgumentException("--key must not be blank");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no model file " + file);
        }
        byte[] onnx = Files.readAllBytes(file);
        if (uri == null && onnx.length > TopicCatalogue.MODELS_MAX_MESSAGE_BYTES - RECORD_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("the model has " + onnx.length + " bytes, too large to travel inline on the models topic; "
                    + "store it where the optimizer can fetch it and publish with --uri");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelRelease release;
        try (ModelValidation validation = new ModelValidation(configOptions)) {
            OnnxModel model = validation.load(key, onnx, err);
            if (model == null) {
                return 1;
            }
            release = Releases.of(key, onnx, model, model.metadata(), uri, Instant.now());
            model.close();
        }
        KelvinConfig config = configOptions.load(ProduceCommand.CONFIG_ROLE);
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            TopicCatalogue topics = new TopicCatalogue(config, new KelvinSerdes(registry));
            RecordMetadata written = new ReleaseLog(topics, config.clientSettings(), Duration.ofSeconds(30)).publish(key, release);
            out.printf("Published %s version %s (%s, sha256 %s) to %s partition %d offset %d%n", key, release.getVersion(),
                    uri == null ? onnx.length + " bytes inline" : uri, release.getSha256(), written.topic(), written.partition(), written.offset());
        }
        return 0;
    }
}
