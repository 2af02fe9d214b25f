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
    return BUNDLED.equals(modelDir) ? new Bundled() : new Directory(modelDir);
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

  /** The model under {@code /interest-model/} on the classpath, copied there by the build. */
  record Bundled() implements ModelFiles {
    private static final String PREFIX = "/interest-model/";

    @Override
    public byte[] read(String name) throws IOException {
      try (InputStream in = ModelFiles.class.getResourceAsStream(PREFIX + name)) {
        if (in == null) {
          throw new ModelLoadException("bundled model: missing file " + name);
        }
        return in.readAllBytes();
      }
    }

    @Override
    public String location() {
      return "bundled model";
    }
  }
}
