package org.interesttracker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point of the fat jar: one subcommand per task (run the job, run locally, tools). */
@Command(
    name = "interest-tracker",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Streaming multi-scene user-interest tracker: Kafka -> Flink (RocksDB) -> Kafka.",
    subcommands = {
      RunCommand.class,
      LocalCommand.class,
      ReplayCommand.class,
      PrepareCommand.class,
      GenerateCommand.class,
      BenchmarkCommand.class,
      CreateTopicsCommand.class,
      ConsumeCommand.class,
      ModelCommand.class,
      ForgetCommand.class,
      CommandLine.HelpCommand.class
    })
public final class InterestTrackerCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int exitCode = commandLine().execute(args);
    // Returning normally on success matters under `flink run` in application mode, where
    // System.exit would stop the JobManager that runs this main method.
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  @Option(
      names = CommandErrors.VERBOSE,
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error, not just its message.")
  boolean verbose;

  /** The command line with its error handling: an error is one line, not a trace. */
  public static CommandLine commandLine() {
    return new CommandLine(new InterestTrackerCli())
        .setExecutionExceptionHandler(new CommandErrors());
  }

  /** Without a command there is nothing to do: say what there is, as a usage error. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }
}
