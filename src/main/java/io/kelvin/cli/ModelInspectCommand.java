package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.ModelRejectedException;
import io.kelvin.inference.OnnxModel;
import io.kelvin.optimizer.ModelSource;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.release.ReleaseLog;
import io.kelvin.release.ReleaseLog.Entry;
import io.kelvin.schema.ModelRelease;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kelvin model inspect}: a model's contract, metadata and validation, from a file or the topic. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Shows a model's size, SHA-256, version, features in input order and metadata, and runs the optimizer's checks on it.",
            "",
            "Exit code 0 when the model would be served, 1 when it would be rejected (the reason is printed).",
        },
        footer = {
            "",
            "Examples:",
            "  kelvin model inspect --file models/bundled.onnx",
            "  kelvin model inspect --key b-0042 --config kelvin.properties",
        })
public final class ModelInspectCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--file", paramLabel = "FILE", description = "An ONNX model file.")
        Path file;

        @Option(names = "--key", paramLabel = "KEY", description = "The latest release of this key on kelvin.models (or --version).")
        String key;
    }

    @Option(names = "--version", paramLabel = "VERSION", description = "With --key: this version instead of the latest.")
    String version;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        byte[] onnx;
        String modelKey;
        if (target.file != null) {
            if (!Files.isRegularFile(target.file)) {
                throw new IllegalArgumentException("no model file " + target.file);
            }
            onnx = Files.readAllBytes(target.file);
            modelKey = "file:" + target.file.getFileName();
            out.printf("File:      %s%n", target.file);
        } else {
            ModelRelease release = find(target.key);
            modelKey = target.key;
            out.printf("Release:   %s version %s, created %s by %s%n", target.key, release.getVersion(), release.getCreatedAt(), release.getProducer());
            try {
                onnx = ModelSource.fromConfig(configOptions.load(ProduceCommand.CONFIG_ROLE)).bytesOf(release);
            } catch (ModelRejectedException e) {
                spec.commandLine().getErr().println("Rejected (" + e.reason().code() + "): " + e.getMessage());
                return 1;
            }
        }
        out.printf("Size:      %d bytes%n", onnx.length);
        out.printf("SHA-256:   %s%n", ModelSource.sha256Hex(onnx));
        try (ModelValidation validation = new ModelValidation(configOptions)) {
            OnnxModel model = validation.load(modelKey, onnx, spec.commandLine().getErr());
            if (model == null) {
                return 1;
            }
            try (model) {
                out.printf("Version:   %s%n", model.version());
                out.printf("Features:  %s%n", String.join(", ", model.featureNames()));
                out.println("Metadata:");
                new TreeMap<>(model.metadata()).forEach((k, v) -> out.printf("  %s = %s%n", k, v));
                out.println("Contract:  passed (loads, input features [N," + model.featureNames().size()
                        + "], output prediction [N,2], finite on probe rows)");
            }
        }
        return 0;
    }

    private ModelRelease find(String key) {
        KelvinConfig config = configOptions.load(ProduceCommand.CONFIG_ROLE);
        List<Entry> history;
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            history = new ReleaseLog(new TopicCatalogue(config, new KelvinSerdes(registry)), config.clientSettings(), Duration.ofSeconds(30))
                    .history(key);
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            ModelRelease r = history.get(i).release();
            if (r != null && (version == null || version.equals(r.getVersion()))) {
                return r;
            }
            if (r == null && version == null) {
                throw new IllegalArgumentException("the model of " + key + " was withdrawn; give --version to inspect an older release");
            }
        }
        throw new IllegalArgumentException("no release " + (version == null ? "" : "version " + version + " ") + "of " + key
                + " on the models topic" + (history.isEmpty() ? "" : " (it has " + history.size() + " entries for that key)"));
    }
}
