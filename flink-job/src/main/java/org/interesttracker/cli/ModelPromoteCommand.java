package org.interesttracker.cli;

import java.util.concurrent.Callable;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code model promote}: the candidate serves everyone. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = {
      "Asks the running job to serve the candidate to every user. The version it replaces stays"
          + " loaded, for model rollback.",
      "  java -jar interest-tracker.jar model promote --bootstrap-servers kafka:9092 v2"
    })
final class ModelPromoteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ControlOptions control;

  @Parameters(
      paramLabel = "VERSION",
      description =
          "The candidate's version; the job refuses the request if its candidate is another.")
  String version;

  @Override
  public Integer call() throws Exception {
    return control.send(
        ControlRequest.newBuilder().setAction(ControlAction.PROMOTE).setModelVersion(version),
        spec.commandLine());
  }
}
