package org.interesttracker.cli;

import java.util.concurrent.Callable;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code forget}: erases a user from the running job. */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    description = {
      "Asks the running job to erase a user: its state, and tombstones for its records on the"
          + " output topics. The subtask that owns the user answers with what it erased, which is"
          + " also the audit record on the operations topic.",
      "Exits with 2 when the job refuses the request, with 1 when no answer came in time.",
      "  java -jar interest-tracker.jar forget --bootstrap-servers kafka:9092 --user 42"
    })
final class ForgetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ControlOptions control;

  @Option(names = "--user", required = true, paramLabel = "ID", description = "The user to erase.")
  String user;

  @Override
  public Integer call() throws Exception {
    return control.send(
        ControlRequest.newBuilder().setAction(ControlAction.FORGET).setUserId(user),
        spec.commandLine());
  }
}
