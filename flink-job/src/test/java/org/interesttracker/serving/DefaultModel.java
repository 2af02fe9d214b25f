package org.interesttracker.serving;

import java.nio.file.Path;

/** The committed default model, as tests (run from flink-job/) find it. */
final class DefaultModel {
  static final Path DIRECTORY = Path.of("..", "model", "default");
  static final int HISTORY_LENGTH = 50;

  /** The committed fixture, a small model trained on the tiny test log (model/README.md). */
  static final Path FIXTURE = Path.of("src", "test", "resources", "streaming-step");

  /** The fixture as exported for contract 1 (no request age), which the job still serves. */
  static final Path CONTRACT_1_FIXTURE =
      Path.of("src", "test", "resources", "streaming-step-contract-1");

  private DefaultModel() {}

  static ModelBundle load() {
    return ModelBundle.load(ModelFiles.of(DIRECTORY.toString()), HISTORY_LENGTH);
  }
}
