package org.interesttracker.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.interesttracker.eventlog.EventLogFormatException;
import org.interesttracker.replay.ReplayException;
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
      LocalCommand.class,
      ReplayCommand.class,
      PrepareCommand.class,
      GenerateCommand.class,
      BenchmarkCommand.class,
      CreateTopicsCommand.class,
      ConsumeCommand.class,
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
              // Bad input files and an unreachable Kafka are the user's to fix, not bugs.
              if (exception instanceof IOException
                  || exception instanceof EventLogFormatException
                  || exception instanceof ReplayException) {
                commandLine.getErr().println("error: " + describe(exception));
                return CommandLine.ExitCode.SOFTWARE;
              }
              throw exception;
            });
  }

  private static String describe(Exception exception) {
    return exception instanceof NoSuchFileException
        ? "file not found: " + exception.getMessage()
        : exception.getMessage();
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
