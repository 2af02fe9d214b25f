package org.interesttracker.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.interesttracker.job.JobSettings;

/**
 * Checkpoints of a job run inside this process (`local`, `benchmark`) go to a temporary directory
 * unless the settings name one: kept in the JobManager's memory they may not exceed 5 MB, which the
 * state of a few thousand users outgrows within seconds, failing every checkpoint and so the job.
 * The directory is removed when the process exits.
 */
public final class TemporaryCheckpoints {
  private TemporaryCheckpoints() {}

  /**
   * Sets a fresh temporary checkpoint directory in {@code cluster} if {@code settings} has none.
   */
  public static void setIfUnset(Configuration cluster, JobSettings settings) {
    if (settings.checkpointDir() != null) {
      return;
    }
    try {
      Path directory = Files.createTempDirectory("interest-tracker-checkpoints");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory)));
      cluster.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, directory.toUri().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a checkpoint directory", e);
    }
  }

  private static void delete(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // The process is exiting; a leftover temporary directory is all that is lost.
    }
  }
}
