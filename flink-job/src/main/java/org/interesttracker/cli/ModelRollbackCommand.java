package org.interesttracker.cli;

import java.util.concurrent.Callable;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code model rollback}: withdraws the candidate, or undoes the latest promotion. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Asks the running job to withdraw its candidate or, without one, to serve again the version"
          + " before the latest promotion.",
      "  java -jar interest-tracker.jar model rollback --bootstrap-servers kafka:9092"
    })
final class ModelRollbackCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ControlOptions control;

  @Override
  public Integer call() throws Exception {
    return control.send(
        ControlRequest.newBuilder().setAction(ControlAction.ROLLBACK), spec.commandLine());
  }
}
