package org.interesttracker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the fat jar: one subcommand per task (run the job, run locally, tools). */
@Command(
    name = "interest-tracker",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Streaming multi-scene user-interest tracker: Kafka -> Flink (RocksDB) -> Kafka.",
    subcommands = {CommandLine.HelpCommand.class, PrepareCommand.class, GenerateCommand.class})
public final class InterestTrackerCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new InterestTrackerCli()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
