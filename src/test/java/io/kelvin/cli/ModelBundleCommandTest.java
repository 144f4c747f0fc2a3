package io.kelvin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.model.BundledModelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelBundleCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new ModelBundleCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void shouldWriteTheModelItBuildsAndItsCard() throws Exception {
        Path model = dir.resolve("models/bundled.onnx");
        Path card = dir.resolve("models/MODEL_CARD.md");

        int exit = run("--out", model.toString(), "--card", card.toString(), "--seed", "3", "--buildings", "2", "--days", "4",
                "--validation-days", "1", "--holdout-days", "1");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(Files.readAllBytes(model))
                .isEqualTo(BundledModelBuilder.build(new BundledModelBuilder.Options(3, 2, 4, 1, 1)).exported().onnx());
        assertThat(Files.readString(card, StandardCharsets.UTF_8)).startsWith("# Kelvin bundled cold-start model")
                .contains("kelvin model bundle --out " + model + " --card " + card + " --seed 3 --buildings 2 --days 4"
                        + " --validation-days 1 --holdout-days 1");
        assertThat(out.toString()).contains("Wrote " + model, "held-out MAE");
        try (var files = Files.list(dir.resolve("models"))) {
            assertThat(files).as("no temporary files left behind").hasSize(2);
        }
    }

    @Test
    void shouldFailWithoutWritingWhenTheDaysCannotBeSplit() {
        Path model = dir.resolve("bundled.onnx");

        int exit = run("--out", model.toString(), "--card", dir.resolve("card.md").toString(), "--days", "2");

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("at least one training day");
        assertThat(model).doesNotExist();
    }
}
