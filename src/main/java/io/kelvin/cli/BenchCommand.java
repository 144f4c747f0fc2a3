package io.kelvin.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kelvin bench}: measurements of Kelvin's parts on this machine, one subcommand each. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measures a part of Kelvin on this machine and prints what it found.",
        subcommands = {
            BenchInferenceCommand.class,
            BenchPipelineCommand.class,
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: one of " + spec.subcommands().keySet());
    }
}
