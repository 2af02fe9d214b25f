package org.interesttracker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the fat jar: one subcommand per task (run the job, run locally, tools). */
@Command(
    name = "interest-tracker",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Streaming multi-scene user-interest tracker: Kafka -> Flink (RocksDB) -> Kafka.",
    subcommands = {
      RunCommand.class,
      PrepareCommand.class,
      GenerateCommand.class,
      BenchmarkCommand.class,
      CreateTopicsCommand.class,
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

  /** The command line with its error handling: a bad option value is one line, not a trace. */
  public static CommandLine commandLine() {
    return new CommandLine(new InterestTrackerCli())
        .setExecutionExceptionHandler(
            (exception, commandLine, parseResult) -> {
              if (exception instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + exception.getMessage());
                return CommandLine.ExitCode.USAGE;
              }
              throw exception;
            });
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
