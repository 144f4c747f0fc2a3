package io.kelvin.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kelvin model}: the model releases on {@code kelvin.models}, and the bundled model. */
@Command(name = "model",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes, lists, inspects and rolls back the model releases the optimizer serves (topic kelvin.models), "
                    + "and rebuilds the bundled cold-start model.",
            "",
            "Every model is checked against the model contract (models/README.md) before it is published or rolled back to, "
                    + "with the same checks the optimizer makes before it serves one.",
        },
        subcommands = {
            ModelPublishCommand.class,
            ModelListCommand.class,
            ModelInspectCommand.class,
            ModelRollbackCommand.class,
            ModelBundleCommand.class,
        })
public final class ModelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: publish, list, inspect, rollback or bundle");
    }
}
