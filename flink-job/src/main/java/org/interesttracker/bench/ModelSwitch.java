package org.interesttracker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.OperationKind;
import org.interesttracker.avro.OperationsRecord;
import org.interesttracker.control.ControlClient;
import org.interesttracker.job.JobSettings;
import org.interesttracker.serving.ModelFiles;

/**
 * The switch the benchmark makes in a running job: a copy of its model under another version,
 * published (serving nobody) and promoted, each request answered by every subtask before the next.
 */
final class ModelSwitch {
  private static final Duration ANSWERS = Duration.ofMinutes(2);

  private ModelSwitch() {}

  static Runnable of(String bootstrapServers, JobSettings settings) throws IOException {
    String version = settings.loadModel().version() + "-switched";
    Path directory = Files.createTempDirectory("interest-tracker-switch");
    directory.toFile().deleteOnExit();
    RenamedModelCopy.write(ModelFiles.of(settings.modelDir()), directory, version);
    ControlClient client =
        new ControlClient(
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            settings.controlTopic(),
            settings.operationsTopic());
    return () -> {
      send(
          client,
          ControlRequest.newBuilder()
              .setAction(ControlAction.PUBLISH)
              .setModelVersion(version)
              .setModelDir(directory.toString())
              .setCanaryShare(0.0),
          OperationKind.MODEL_ACCEPTED);
      send(
          client,
          ControlRequest.newBuilder().setAction(ControlAction.PROMOTE).setModelVersion(version),
          OperationKind.MODEL_PROMOTED);
    };
  }

  private static void send(
      ControlClient client, ControlRequest.Builder request, OperationKind expected) {
    try {
      for (OperationsRecord answer : client.send(request, ANSWERS, ignored -> {})) {
        if (answer.getKind() != expected) {
          throw new IllegalStateException(
              "the switch failed: subtask " + answer.getSubtask() + " " + answer.getDetail());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
