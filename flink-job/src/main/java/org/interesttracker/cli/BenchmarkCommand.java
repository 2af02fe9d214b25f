package org.interesttracker.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.interesttracker.bench.Benchmark;
import org.interesttracker.bench.BenchmarkReport;
import org.interesttracker.bench.CatalogScan;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.job.JobSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Measures the model alone and the whole pipeline on the same events, in one run. */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures, on the same events: ONNX Runtime alone (batch 1, the job's batch size, and a"
          + " larger batch), the per-event recommendation work (model, top-K, reasons), and, in"
          + " steady state (warm-up left out), events/s and CPU per event of a pass-through job"
          + " (decode, keyBy, encode) and of the whole pipeline (in-process Kafka in and out,"
          + " Flink, RocksDB, checkpoints); prints the figures and pipeline / pass-through.",
      "The job runs with parallelism 1 unless --parallelism is given: the broker and the Kafka"
          + " clients in this process need about a core of the two it was measured on."
    })
final class BenchmarkCommand implements Callable<Integer> {
  // On two cores a second subtask competed with the in-process broker: about a fifth more
  // throughput, three times the p99 latency at half of it, more CPU per event.
  private static final int DEFAULT_PARALLELISM = 1;

  @Mixin EventSourceOptions events = new EventSourceOptions(20_000);

  @Option(
      names = "--batch",
      paramLabel = "N",
      description =
          "The larger batch size the model step is measured at (default ${DEFAULT-VALUE}).")
  int batch = 64;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      description =
          "Timed rounds per model figure; the median is reported (default ${DEFAULT-VALUE}).")
  int rounds = 5;

  @Option(
      names = "--scaling-events",
      paramLabel = "N",
      description =
          "Also run the whole job on N synthetic events from 10,000 users and from 1,000,000 users"
              + " and compare their throughput; 0 skips it (default ${DEFAULT-VALUE}). A million"
              + " events take a few minutes per run.")
  int scalingEvents = 0;

  @Option(
      names = "--index-catalogs",
      paramLabel = "N",
      split = ",",
      description =
          "Instead, compare the exact top-K scan with the HNSW index (recall@10, time per query,"
              + " build time, memory) over synthetic catalogs of these sizes, e.g. 100000,1000000.")
  List<Integer> indexCatalogs;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the figures as JSON.")
  Path report;

  @Mixin JobOptions jobOptions;

  @Override
  public Integer call() throws Exception {
    if (indexCatalogs != null) {
      CatalogScan.compareIndexes(indexCatalogs, rounds, System.out);
      return 0;
    }
    List<EventLogRecord> log;
    try (Stream<EventLogRecord> stream = events.open()) {
      log = stream.toList();
    }
    System.out.printf("Benchmarking on %,d events from the %s%n", log.size(), events.describe());
    JobSettings.Builder job = jobOptions.toBuilder();
    if (jobOptions.parallelism == null) {
      job.parallelism(DEFAULT_PARALLELISM);
    }
    BenchmarkReport figures = new Benchmark(job, batch, rounds, scalingEvents).run(log, System.out);
    if (report != null) {
      JsonReports.write(report, figures);
    }
    return 0;
  }
}
