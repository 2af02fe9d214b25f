package org.interesttracker.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;

/**
 * The cluster's side of a soak sample, read where an operator's monitoring reads it: the
 * TaskManagers' Prometheus endpoints, their garbage collector logs and the JobManager's REST API.
 */
final class ClusterGauges {
  private static final List<Integer> TASK_MANAGERS = List.of(1, 2);
  // G1's line for a pause, such as "GC(7) Pause Young (Normal) (G1 Evacuation Pause) 90M->21M(256M)
  // 3.1ms": the heap before, after and its size.
  private static final Pattern AFTER_GC =
      Pattern.compile("GC\\(\\d+\\) Pause .* \\d+M->(\\d+)M\\(");
  private static final double MB = 1024 * 1024;

  /**
   * @param heapAfterGcMb the heap left by each TaskManager's latest collection, summed
   * @param rocksDbLiveMb RocksDB's estimate of its live data, summed over every state of the job
   * @param backPressuredMsPerSecond the most back-pressured task's share of the last second
   * @param checkpointDurationMs the latest completed checkpoint, from trigger to acknowledged
   * @param checkpointSizeMb the full state of that checkpoint
   * @param checkpointUploadMb what that checkpoint added, being incremental
   */
  record Reading(
      double heapAfterGcMb,
      double rocksDbLiveMb,
      double backPressuredMsPerSecond,
      double checkpointDurationMs,
      double checkpointSizeMb,
      double checkpointUploadMb) {}

  private final LocalCluster cluster;

  ClusterGauges(LocalCluster cluster) {
    this.cluster = cluster;
  }

  Reading read(String jobId) {
    String metrics =
        String.join("\n", TASK_MANAGERS.stream().map(cluster::taskManagerMetrics).toList());
    JsonNode checkpoint =
        cluster.get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
    return new Reading(
        TASK_MANAGERS.stream()
            .mapToDouble(number -> heapAfterLatestGc(cluster.gcLog("taskmanager-" + number)))
            .sum(),
        samples(metrics, name -> name.endsWith("_rocksdb_estimate_live_data_size")).sum() / MB,
        samples(metrics, name -> name.endsWith("_backPressuredTimeMsPerSecond")).max().orElse(0),
        checkpoint.path("end_to_end_duration").asDouble(),
        checkpoint.path("state_size").asDouble() / MB,
        checkpoint.path("checkpointed_size").asDouble() / MB);
  }

  /** The values of every Prometheus sample whose metric name matches, labels aside. */
  private static DoubleStream samples(String exposition, Predicate<String> name) {
    return exposition
        .lines()
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .filter(line -> name.test(line.substring(0, nameEnd(line))))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
  }

  private static int nameEnd(String line) {
    int labels = line.indexOf('{');
    return labels >= 0 ? labels : line.indexOf(' ');
  }

  private static double heapAfterLatestGc(Path gcLog) {
    try (var lines = Files.lines(gcLog)) {
      OptionalDouble latest =
          lines
              .map(AFTER_GC::matcher)
              .filter(Matcher::find)
              .mapToDouble(matcher -> Double.parseDouble(matcher.group(1)))
              .reduce((first, second) -> second);
      return latest.orElse(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
