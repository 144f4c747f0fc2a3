package io.kelvin.cli;

import io.kelvin.logging.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kelvin} command: the entry point of every Kelvin process. */
@Command(name = "kelvin",
        mixinStandardHelpOptions = true,
        versionProvider = KelvinCli.Version.class,
        description = "HVAC energy optimisation for commercial buildings on Kafka Streams.",
        subcommands = {
            CommandLine.HelpCommand.class,
            OptimizerCommand.class,
            TrainerCommand.class,
            DemoCommand.class,
            SimulateCommand.class,
            ProduceCommand.class,
            TailCommand.class,
            ModelCommand.class,
            BenchCommand.class,
        })
public final class KelvinCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        try {
            LogFormat.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("kelvin: " + e.getMessage());
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for tests that assert exit codes and messages. */
    public static CommandLine commandLine() {
        return new CommandLine(new KelvinCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(KelvinCli::reportFailure);
    }

    /**
     * A command that fails says why on one line and exits non-zero: 2 for bad configuration or
     * input the user can fix, 1 for anything else. The stack trace goes to the log only.
     */
    private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean usage = e instanceof org.apache.kafka.common.config.ConfigException
                || e instanceof IllegalArgumentException;
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        org.slf4j.LoggerFactory.getLogger(KelvinCli.class).debug("Command failed", e);
        return usage ? 2 : 1;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KelvinCli.class.getPackage().getImplementationVersion();
            return new String[] {"kelvin " + (v == null ? "dev" : v)};
        }
    }
}
