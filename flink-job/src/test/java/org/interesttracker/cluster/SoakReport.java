package org.interesttracker.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The soak's figures: every sample as a table, each flat figure's verdict, and the same as JSON and
 * a PNG plot for the README.
 *
 * @param durationSeconds how long events were sent at {@code rate}
 * @param maximumRate events per second the job answered while draining the backlog
 * @param rate events per second sent during the soak
 * @param warmUpSeconds the first samples, left out of the verdicts
 */
record SoakReport(
    long durationSeconds,
    double maximumRate,
    double rate,
    double warmUpSeconds,
    List<SoakSample> samples,
    List<FlatFigure.Result> results) {

  void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "Soak of %s at %.0f events/s, half of the %.0f events/s measured draining the backlog%n",
        Duration.ofSeconds(durationSeconds),
        rate,
        maximumRate);
    out.println(
        "     s     sent  behind  heap-GC MB  RocksDB MB  ckpt ms  ckpt MB  upload MB  backpr ms/s"
            + "  p50 ms  p99 ms");
    for (SoakSample s : samples) {
      ClusterGauges.Reading c = s.cluster();
      out.printf(
          Locale.ROOT,
          "%6.0f %8d %7d %11.0f %11.1f %8.0f %8.1f %10.2f %12.0f %7s %7s%n",
          s.seconds(),
          s.sent(),
          s.behind(),
          c.heapAfterGcMb(),
          c.rocksDbLiveMb(),
          c.checkpointDurationMs(),
          c.checkpointSizeMb(),
          c.checkpointUploadMb(),
          c.backPressuredMsPerSecond(),
          millis(s.latency().p50Ms()),
          millis(s.latency().p99Ms()));
    }
    out.printf(
        Locale.ROOT,
        "Rise of the fitted line over the samples after the first %.0f s, and the most allowed:%n",
        warmUpSeconds);
    for (FlatFigure.Result r : results) {
      out.printf(
          Locale.ROOT,
          "  %-22s mean %10.1f %-6s rise %+10.1f  allowed %10.1f  %s%n",
          r.figure(),
          r.mean(),
          r.unit(),
          r.rise(),
          r.allowed(),
          r.isFlat() ? "flat" : "GROWS");
    }
  }

  /** Writes {@code soak.json}, and {@code soak.png} with a panel per figure, into the directory. */
  void write(Path directory, List<FlatFigure> figures) throws IOException {
    Files.createDirectories(directory);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(directory.resolve("soak.json").toFile(), this);
    SoakPlot.write(samples, warmUpSeconds, figures, directory.resolve("soak.png"));
  }

  private static String millis(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.0f", value);
  }
}
