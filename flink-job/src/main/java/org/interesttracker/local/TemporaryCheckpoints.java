package org.interesttracker.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.FileUtils;
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
      // At exit a leftover temporary directory is all a failed delete loses: quietly.
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> FileUtils.deleteDirectoryQuietly(directory.toFile())));
      cluster.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, directory.toUri().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a checkpoint directory", e);
    }
  }
}
