package io.kelvin.cli;

import io.kelvin.model.BundledModelBuilder;
import io.kelvin.model.BundledModelBuilder.Options;
import io.kelvin.model.DesignComparison;
import io.kelvin.model.ModelCard;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kelvin model bundle}: regenerates the bundled cold-start model and its model card from a
 * simulated fleet. The same options always give the same bytes, so the committed model can be
 * checked by rebuilding it. Both files are written whole (temporary file, then rename) so a
 * failed run never leaves half a model behind.
 */
@Command(name = "bundle",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Simulates a fleet of buildings in-process (no Kafka) with exploratory setpoints, learns the cold-start model",
            "from it (candidate designs compared on validation days, error measured on held-out days), exports it as ONNX,",
            "checks the export through ONNX Runtime, and writes the model and its model card.",
            "The same options give a byte-identical model."
        })
public final class ModelBundleCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "models/bundled.onnx", description = "Model file to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--card", defaultValue = "models/MODEL_CARD.md", description = "Model card to write (default: ${DEFAULT-VALUE}).")
    Path card;

    @Option(names = "--seed", defaultValue = "" + Options.DEFAULT_SEED,
            description = "Seed of the simulated fleet, its weather and its setpoints (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--buildings", defaultValue = "" + Options.DEFAULT_BUILDINGS, description = "Simulated buildings (default: ${DEFAULT-VALUE}).")
    int buildings;

    @Option(names = "--days", defaultValue = "" + Options.DEFAULT_DAYS, description = "Simulated days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--validation-days", defaultValue = "" + Options.DEFAULT_VALIDATION_DAYS,
            description = "Days before the held-out days on which penalties and designs are chosen (default: ${DEFAULT-VALUE}).")
    int validationDays;

    @Option(names = "--holdout-days", defaultValue = "" + Options.DEFAULT_HOLDOUT_DAYS,
            description = "Last days, never used for fitting or choosing, on which the error is measured (default: ${DEFAULT-VALUE}).")
    int holdoutDays;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Options options = new Options(seed, buildings, days, validationDays, holdoutDays);
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "Simulating %d buildings for %d days (seed %d) and learning the bundled model ...%n", buildings, days, seed);
        console.flush();
        BundledModelBuilder.Bundle bundle = BundledModelBuilder.build(options);
        writeWhole(out, bundle.exported().onnx());
        writeWhole(card, ModelCard.render(bundle, commandLine()).getBytes(StandardCharsets.UTF_8));

        DesignComparison.Candidate chosen = bundle.comparison().chosen();
        console.printf(Locale.ROOT, "Kept %s (validation score %.3f) of %d designs; held-out MAE %.4f kWh, %.4f C (persistence %.4f kWh, %.4f C)%n",
                chosen.design().method(), chosen.validationScore(), bundle.comparison().candidates().size(),
                chosen.holdout().maeEnergyKwh(), chosen.holdout().maeIndoorC(),
                bundle.comparison().persistenceHoldout().maeEnergyKwh(), bundle.comparison().persistenceHoldout().maeIndoorC());
        console.printf(Locale.ROOT, "Wrote %s (%,d bytes, version %s) and %s%n", out, bundle.exported().onnx().length,
                bundle.metadata().version(), card);
        console.flush();
        return 0;
    }

    private String commandLine() {
        return String.format(Locale.ROOT, "kelvin model bundle --out %s --card %s --seed %d --buildings %d --days %d"
                + " --validation-days %d --holdout-days %d", out, card, seed, buildings, days, validationDays, holdoutDays);
    }

    private static void writeWhole(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
