package org.interesttracker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code model}: the model lifecycle of the running job, one subcommand per control request. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes a model as the candidate, promotes it, rolls back, or shows what the running job"
          + " serves: each sends one ControlRequest on the control topic and waits for every"
          + " subtask's answer on the operations topic.",
      "Exits with 2 when a subtask refuses the request, with 1 when not every subtask answered in"
          + " time.",
      "  java -jar interest-tracker.jar model publish --bootstrap-servers kafka:9092 \\",
      "      --model-dir /models/v2 --canary-share 0.1",
      "  java -jar interest-tracker.jar model promote --bootstrap-servers kafka:9092 v2"
    },
    subcommands = {
      ModelPublishCommand.class,
      ModelPromoteCommand.class,
      ModelRollbackCommand.class,
      ModelStatusCommand.class
    })
final class ModelCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a model command");
  }
}
