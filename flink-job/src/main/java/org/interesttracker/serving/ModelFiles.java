package org.interesttracker.serving;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a model's files are read from: a directory (a model you trained, mounted on every task
 * manager) or the default model bundled in the job jar, so the job runs without any set-up.
 */
public interface ModelFiles extends Serializable {

  /** The default model shipped inside the jar. */
  String BUNDLED = "bundled";

  byte[] read(String name) throws IOException;

  /** For error messages: where the files are. */
  String location();

  /** {@code bundled} or a directory path. */
  static ModelFiles of(String modelDir) {
    return BUNDLED.equals(modelDir)
        ? new Bundled("interest-model", "bundled model")
        : new Directory(modelDir);
  }

  /**
   * A step graph with a history of 200 events, shipped in the jar for the benchmark to measure the
   * cost of a long history in the same run. Its weights come from one epoch of training: they do
   * not change the work, and it is not a model to serve.
   */
  static ModelFiles longHistoryBenchmarkModel() {
    return new Bundled("benchmark-model-l200", "bundled benchmark model (L = 200)");
  }

  /** Files in a directory of the local file system. */
  record Directory(String path) implements ModelFiles {
    @Override
    public byte[] read(String name) throws IOException {
      try {
        return Files.readAllBytes(Path.of(path, name));
      } catch (NoSuchFileException e) {
        throw new ModelLoadException("model directory " + path + ": missing file " + name, e);
      }
    }

    @Override
    public String location() {
      return "model directory " + path;
    }
  }

  /** A model in a folder of the classpath, copied there by the build. */
  record Bundled(String folder, String location) implements ModelFiles {
    @Override
    public byte[] read(String name) throws IOException {
      try (InputStream in = ModelFiles.class.getResourceAsStream("/" + folder + "/" + name)) {
        if (in == null) {
          throw new ModelLoadException(location() + ": missing file " + name);
        }
        return in.readAllBytes();
      }
    }
  }
}
