package org.interesttracker.serving;

import java.nio.file.Path;

/** The committed default model, as tests (run from flink-job/) find it. */
final class DefaultModel {
  static final Path DIRECTORY = Path.of("..", "model", "default");
  static final int HISTORY_LENGTH = 50;

  private DefaultModel() {}

  static ModelBundle load() {
    return ModelBundle.load(ModelFiles.of(DIRECTORY.toString()), HISTORY_LENGTH);
  }
}
