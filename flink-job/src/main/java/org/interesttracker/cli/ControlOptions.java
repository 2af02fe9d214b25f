package org.interesttracker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.OperationKind;
import org.interesttracker.avro.OperationsRecord;
import org.interesttracker.control.ControlClient;
import org.interesttracker.job.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the commands that talk to the running job share: its Kafka, its control and operations
 * topics, how long to wait for its answers, and how the answers are shown and become an exit code.
 */
final class ControlOptions {

  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--control-topic",
      paramLabel = "TOPIC",
      description = "Topic the job reads ControlRequest records from (default ${DEFAULT-VALUE}).")
  String controlTopic = Topics.CONTROL;

  @Option(
      names = "--operations-topic",
      paramLabel = "TOPIC",
      description = "Topic the job answers on (default ${DEFAULT-VALUE}).")
  String operationsTopic = Topics.OPERATIONS;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long to wait for every answer (default 60s). Under EXACTLY_ONCE the answers appear"
              + " when the job's next checkpoint completes.")
  Duration timeout = Duration.ofSeconds(60);

  /** Sends the request and prints one line per answer; see the other overload. */
  int send(ControlRequest.Builder request, CommandLine commandLine) throws IOException {
    return send(request, commandLine, answers -> {});
  }

  /**
   * Sends the request, prints one line per answer as it arrives, then hands all answers to {@code
   * report}.
   *
   * @return 0 if every answer is positive, the usage error code if the job refused the request
   * @throws IOException if Kafka or a topic is missing, or the answers did not all come in time
   */
  int send(
      ControlRequest.Builder request,
      CommandLine commandLine,
      Consumer<List<OperationsRecord>> report)
      throws IOException {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--timeout must be longer than 0, got " + timeout);
    }
    kafka.requireTopic(controlTopic);
    kafka.requireTopic(operationsTopic);
    PrintWriter out = commandLine.getOut();
    List<OperationsRecord> answers =
        new ControlClient(kafka.clientConfig(), controlTopic, operationsTopic)
            .send(
                request,
                timeout,
                answer -> {
                  out.printf(
                      "subtask %d: %s %s%n",
                      answer.getSubtask(), answer.getKind(), answer.getDetail());
                  out.flush();
                });
    report.accept(answers);
    out.flush();
    long refused = answers.stream().filter(ControlOptions::isRefusal).count();
    if (refused > 0) {
      PrintWriter err = commandLine.getErr();
      err.printf("error: %d of %d answers refused the request%n", refused, answers.size());
      err.flush();
      // The job found fault with what was asked (a version, a model directory, a user id).
      return CommandLine.ExitCode.USAGE;
    }
    return CommandLine.ExitCode.OK;
  }

  private static boolean isRefusal(OperationsRecord answer) {
    return answer.getKind() == OperationKind.MODEL_REFUSED
        || answer.getKind() == OperationKind.REQUEST_REFUSED;
  }
}
