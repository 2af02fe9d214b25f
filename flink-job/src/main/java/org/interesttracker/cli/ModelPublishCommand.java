package org.interesttracker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code model publish}: makes a model directory the candidate, optionally for a canary share. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Asks the running job to check a model directory and serve it as the candidate to a canary"
          + " share of users (none by default) until it is promoted. Every subtask checks and"
          + " loads the model itself; one that cannot refuses it and keeps what it served.",
      "  java -jar interest-tracker.jar model publish --bootstrap-servers kafka:9092 \\",
      "      --model-dir /models/v2 --canary-share 0.1"
    })
final class ModelPublishCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ControlOptions control;

  // A string, not a path: it is the task managers' path, which this machine may not have.
  @Option(
      names = "--model-dir",
      required = true,
      paramLabel = "DIR",
      description = "The model directory, as the task managers see it.")
  String modelDir;

  @Option(
      names = "--canary-share",
      paramLabel = "SHARE",
      description = "Share of users, 0 to 1, the candidate serves before promotion (default 0).")
  Double canaryShare;

  @Option(
      names = "--model-version",
      paramLabel = "VERSION",
      description =
          "The model_version the directory's manifest.json declares (default: read from that"
              + " file, when this machine can read it).")
  String modelVersion;

  @Override
  public Integer call() throws Exception {
    if (canaryShare != null && !(canaryShare >= 0 && canaryShare <= 1)) {
      throw new IllegalArgumentException(
          "--canary-share must be between 0 and 1, got " + canaryShare);
    }
    String version = modelVersion != null ? modelVersion : versionInManifest();
    return control.send(
        ControlRequest.newBuilder()
            .setAction(ControlAction.PUBLISH)
            .setModelVersion(version)
            .setModelDir(modelDir)
            .setCanaryShare(canaryShare),
        spec.commandLine());
  }

  private String versionInManifest() {
    Path manifest = Path.of(modelDir, "manifest.json");
    String version;
    try {
      version = JSON.readTree(Files.readString(manifest)).path("model_version").textValue();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          manifest + " is not valid JSON (" + e.getOriginalMessage() + "); give --model-version",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read "
              + manifest
              + " on this machine for the model version; give --model-version",
          e);
    }
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException(manifest + " has no model_version; give --model-version");
    }
    return version;
  }
}
