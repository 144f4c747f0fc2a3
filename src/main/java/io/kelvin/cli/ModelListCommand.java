package io.kelvin.cli;

import io.kelvin.config.KelvinConfig;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kelvin model list}: the releases still in {@code kelvin.models}, latest per key marked. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the model releases on kelvin.models, oldest first per key; the last release of each key is marked latest.",
            "",
            "The optimizer serves the latest release of a key once it passes validation; a rejected one leaves the previous "
                    + "model serving (see the optimizer's log and the kelvin_model_releases_total metric).",
        })
public final class ModelListCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--key", paramLabel = "KEY", description = "Only this building id or __global__.")
    String key;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        KelvinConfig config = configOptions.load(ProduceCommand.CONFIG_ROLE);
        List<Entry> entries;
        try (SchemaRegistryClient registry = SchemaRegistries.open(config)) {
            ReleaseLog log = new ReleaseLog(new TopicCatalogue(config, new KelvinSerdes(registry)), config.clientSettings(), Duration.ofSeconds(30));
            entries = key == null ? log.readAll() : log.history(key);
        }
        print(entries, spec.commandLine().getOut());
        return 0;
    }

    static void print(List<Entry> entries, PrintWriter out) {
        Map<String, Entry> latest = new HashMap<>();
        entries.forEach(e -> latest.put(e.key(), e));
        out.printf("%-24s %-36s %-20s %-14s %-22s %8s %9s %9s %s%n",
                "KEY", "VERSION", "CREATED", "PRODUCER", "MODEL", "FEATURES", "MAE_KWH", "MAE_C", "STATUS");
        for (Entry e : entries) {
            String status = latest.get(e.key()) == e ? "latest" : "superseded";
            ModelRelease r = e.release();
            if (r == null) {
                out.printf("%-24s %-36s %-20s %-14s %-22s %8s %9s %9s %s%n", e.key(), "-", Instant.ofEpochMilli(e.timestampMs()),
                        "-", "(withdrawn)", "-", "-", "-", status);
                continue;
            }
            long inline = Releases.inlineBytes(r);
            out.printf("%-24s %-36s %-20s %-14s %-22s %8d %9s %9s %s%n", e.key(), r.getVersion(), r.getCreatedAt(), r.getProducer(),
                    inline >= 0 ? inline + " bytes" : r.getUri(), r.getFeatureNames().size(),
                    format(r.getHoldoutMaeEnergyKwh()), format(r.getHoldoutMaeIndoorC()), status);
        }
        out.printf("%d releases%n", entries.size());
    }

    private static String format(Double value) {
        return value == null ? "-" : String.format("%.3f", value);
    }
}
