package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
import io.kelvin.inference.ModelRejectedException;
import io.kelvin.inference.OnnxModel;
import io.kelvin.optimizer.ModelSource;
import io.kelvin.registry.SchemaRegistries;
import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.release.ReleaseLog;
import io.kelvin.release.ReleaseLog.Entry;
import io.kelvin.release.Releases;
import io.kelvin.schema.ModelRelease;
import io.kelvin.serde.KelvinSerdes;
import io.kelvin.topics.TopicCatalogue;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kelvin model rollback}: serve an earlier release of a key again, or withdraw the key's
 * model so the building falls back along the lookup order (global, bundled, schedule).
 */
@Command(name = "rollback",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Makes an earlier release of a key serve again, by publishing it anew; or withdraws the key's model.",
            "",
            "Without --to, the newest release whose version differs from the latest one is chosen. The release is checked "
                    + "again before it is published. --withdraw publishes a tombstone: the building is then served by the "
                    + "global model, else the bundled one, else its schedule. Superseded releases stay on the compacted topic "
                    + "for at least a week (min.compaction.lag.ms).",
        },
        footer = {
            "",
            "Examples:",
            "  kelvin model rollback --key b-0042 --config kelvin.properties",
            "  kelvin model rollback --key __global__ --to 2026-11-21T02:00Z-global --config kelvin.properties",
            "  kelvin model rollback --key b-0042 --withdraw --config kelvin.properties",
        })
public final class ModelRollbackCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "Building id or __global__.")
    String key;

    @ArgGroup(exclusive = true)
    Choice choice = new Choice();

    static final class Choice {
        @Option(names = "--to", paramLabel = "VERSION", description = "The version to serve again.")
        String version;

        @Option(names = "--withdraw", description = "Withdraw the key's model instead.")
        boolean withdraw;
    }

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        KelvinConfig config = configOptions.load(ProduceCommand.CONFIG_ROLE);
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            ReleaseLog log = new ReleaseLog(new TopicCatalogue(config, new KelvinSerdes(registry)), config.clientSettings(), Duration.ofSeconds(30));
            List<Entry> history = log.history(key);
            if (history.isEmpty()) {
                throw new IllegalArgumentException("no release of " + key + " on the models topic");
            }
            if (choice.withdraw) {
                RecordMetadata written = log.publish(key, null);
                out.printf("Withdrew the model of %s (tombstone at partition %d offset %d)%n", key, written.partition(), written.offset());
                return 0;
            }
            ModelRelease target = target(history);
            try {
                byte[] onnx = ModelSource.fromConfig(config).bytesOf(target);
                try (ModelValidation validation = new ModelValidation(configOptions)) {
                    OnnxModel model = validation.load(key, onnx, spec.commandLine().getErr());
                    if (model == null) {
                        return 1;
                    }
                    model.close();
                }
            } catch (ModelRejectedException e) {
                spec.commandLine().getErr().println("Rejected (" + e.reason().code() + "): " + e.getMessage());
                return 1;
            }
            RecordMetadata written = log.publish(key, Releases.republished(target, Instant.now()));
            out.printf("Rolled %s back to version %s (partition %d offset %d)%n", key, target.getVersion(), written.partition(), written.offset());
        }
        return 0;
    }

    private ModelRelease target(List<Entry> history) {
        Entry latest = history.get(history.size() - 1);
        String current = latest.release() == null ? null : latest.release().getVersion();
        for (int i = history.size() - 1; i >= 0; i--) {
            ModelRelease r = history.get(i).release();
            if (r == null) {
                continue;
            }
            boolean wanted = choice.version != null ? choice.version.equals(r.getVersion()) : !r.getVersion().equals(current);
            if (wanted) {
                return r;
            }
        }
        throw new IllegalArgumentException(choice.version != null
                ? "no release version " + choice.version + " of " + key + " left on the models topic (compaction keeps a week); publish it from its file"
                : "no earlier release of " + key + " than " + current + " left on the models topic");
    }
}
