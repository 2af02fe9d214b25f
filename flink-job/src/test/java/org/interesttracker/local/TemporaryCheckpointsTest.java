package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.interesttracker.job.JobSettings;
import org.junit.jupiter.api.Test;

class TemporaryCheckpointsTest {
  private static final JobSettings.Builder SETTINGS =
      JobSettings.builder().bootstrapServers("unused:9092");

  @Test
  void aJobWithoutACheckpointDirectoryGetsAnEmptyTemporaryOne() {
    Configuration cluster = new Configuration();

    TemporaryCheckpoints.setIfUnset(cluster, SETTINGS.build());

    Path directory = Path.of(URI.create(cluster.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)));
    assertThat(directory).isEmptyDirectory();
  }

  @Test
  void aCheckpointDirectoryTheUserChoseIsKept() {
    Configuration cluster = new Configuration();

    TemporaryCheckpoints.setIfUnset(cluster, SETTINGS.checkpointDir("file:///data/cp").build());

    assertThat(cluster.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEmpty();
  }
}
