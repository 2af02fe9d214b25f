package org.interesttracker.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.job.JobSettings;
import org.interesttracker.local.LatencyPercentiles;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;

/**
 * One benchmark run: the model's per-event step at batch 1 and batched, at the model's history
 * length and at {@value #LONG_HISTORY} (a graph shipped for this), exact top-K over a large
 * catalog, per-user state size, and the steady state of the pass-through graph and of the whole
 * pipeline in a warm JVM (the median of {@value #PIPELINE_RUNS} runs each), all on the same events
 * so the figures compare as ratios.
 */
public final class Benchmark {
  private static final int LARGE_CATALOG = 100_000;
  private static final int LIVE_POPULARITY_ITEMS = 1_000_000;
  private static final int LONG_HISTORY = 200;

  /**
   * Runs of each graph in the warm JVM: one run's throughput moves by 10-20%, their median less.
   */
  private static final int PIPELINE_RUNS = 3;

  private final JobSettings.Builder job;
  private final int batch;
  private final int rounds;
  private final int scalingEvents;

  /**
   * @param scalingEvents events of the user-scaling runs ({@link UserScaling}), or 0 to skip them
   */
  public Benchmark(JobSettings.Builder job, int batch, int rounds, int scalingEvents) {
    this.job = job;
    this.batch = batch;
    this.rounds = rounds;
    this.scalingEvents = scalingEvents;
  }

  public BenchmarkReport run(List<EventLogRecord> events, PrintStream out) throws Exception {
    // Kafka comes from the pipeline measurement; the model figures need the rest of the settings.
    JobSettings settings = job.bootstrapServers("in-process").build();
    ModelBundle model = settings.loadModel();

    double step1 = StreamingStepThroughput.eventsPerSecond(model, 1, rounds);
    printStep(out, model, 1, step1);
    double stepBatched = StreamingStepThroughput.eventsPerSecond(model, batch, rounds);
    printStep(out, model, batch, stepBatched);
    ModelBundle longHistory =
        ModelBundle.load(ModelFiles.longHistoryBenchmarkModel(), LONG_HISTORY);
    double longStep1 = StreamingStepThroughput.eventsPerSecond(longHistory, 1, rounds);
    printStep(out, longHistory, 1, longStep1);
    double longStepBatched = StreamingStepThroughput.eventsPerSecond(longHistory, batch, rounds);
    printStep(out, longHistory, batch, longStepBatched);
    int cacheBytes = StreamingStepThroughput.fullCacheBytes(model);
    int longCacheBytes = StreamingStepThroughput.fullCacheBytes(longHistory);
    out.printf(
        "model state of a full history:   %,8d bytes at L = %d, %,d at L = %d%n",
        cacheBytes, model.historyLength(), longCacheBytes, LONG_HISTORY);

    double catalogScan =
        CatalogScan.queriesPerSecond(LARGE_CATALOG, model.dim(), settings.topK(), rounds);
    out.printf(
        "exact top-%d over %,d items:      %,12.0f queries/s%n",
        settings.topK(), LARGE_CATALOG, catalogScan);

    LivePopularityCost.Figures livePopularity =
        LivePopularityCost.measure(LIVE_POPULARITY_ITEMS, rounds);
    out.printf(
        "live popularity, %,d items:   %,8.1f ms CPU per snapshot column, %,.1f per new-user list,"
            + " %,.0f heap bytes per item%n",
        livePopularity.items(),
        livePopularity.msPerSnapshot(),
        livePopularity.msPerNewUserList(),
        livePopularity.heapBytesPerItem());

    StateSize.Summary state = StateSize.afterReplay(events.iterator(), settings);
    out.printf(
        "state per user:                 %,8.0f bytes median, %,.0f mean (%,d users)%n",
        state.median(), state.mean(), state.users());

    // A task manager runs for days: the JIT's first minutes are not its steady state. A first run
    // of the whole job, latency phase included, compiles the code every run below shares; measured
    // in its own window, JIT compilation still took a fifth of the CPU, and without a paced phase
    // in it the compiler took a quarter of the CPU again when the last run's paced phase began.
    PipelineThroughput.Measurement coldJvm =
        PipelineThroughput.measure(events, job, PipelineThroughput.Workflow.FULL);
    print(out, "whole pipeline, fresh JVM:", coldJvm);
    printLatency(out, coldJvm);
    List<PipelineThroughput.Measurement> passThroughRuns = new ArrayList<>();
    List<PipelineThroughput.Measurement> pipelineRuns = new ArrayList<>();
    // The same job ranking with the exported table, when the model blends live popularity: what
    // the live path costs, within this run.
    boolean live = settings.livePopularity() && model.livePopularity().isPresent();
    List<PipelineThroughput.Measurement> withoutLiveRuns = new ArrayList<>();
    for (int run = 1; run <= PIPELINE_RUNS; run++) {
      if (live) {
        job.livePopularity(false);
        withoutLiveRuns.add(
            PipelineThroughput.throughput(events, job, PipelineThroughput.Workflow.FULL));
        job.livePopularity(true);
      }
      passThroughRuns.add(
          PipelineThroughput.throughput(events, job, PipelineThroughput.Workflow.PASS_THROUGH));
      // Each run goes on to measure latency at half of its throughput, on the warm job: one paced
      // run's percentiles moved by a factor of two between runs.
      pipelineRuns.add(PipelineThroughput.measure(events, job, PipelineThroughput.Workflow.FULL));
      out.printf(
          "run %d of %d:  pass-through %,.0f events/s, whole pipeline %,.0f events/s, latency p50"
              + " %.1f ms, p99 %.1f ms%n",
          run,
          PIPELINE_RUNS,
          passThroughRuns.get(run - 1).eventsPerSecond(),
          pipelineRuns.get(run - 1).eventsPerSecond(),
          pipelineRuns.get(run - 1).latency().p50Ms(),
          pipelineRuns.get(run - 1).latency().p99Ms());
    }
    PipelineThroughput.Measurement passThrough = medianRun(passThroughRuns);
    print(out, "pass-through (decode, keyBy, encode):", passThrough);
    PipelineThroughput.Measurement median = medianRun(pipelineRuns);
    PipelineThroughput.Measurement pipeline =
        new PipelineThroughput.Measurement(
            median.eventsPerSecond(),
            median.cpuMicrosPerEvent(),
            median.events(),
            Median.of(
                pipelineRuns.stream().map(PipelineThroughput.Measurement::latencyRate).toList()),
            medianLatency(pipelineRuns),
            pipelineRuns.stream().mapToInt(PipelineThroughput.Measurement::latencyUnanswered).sum(),
            null);
    print(out, "whole pipeline:", pipeline);
    out.printf("latency, each percentile's median over the %d runs:%n", PIPELINE_RUNS);
    printLatency(out, pipeline);
    double share = pipeline.eventsPerSecond() / passThrough.eventsPerSecond();
    out.printf("pipeline / pass-through:         %12.2f%n", share);
    PipelineThroughput.Measurement withoutLive = live ? medianRun(withoutLiveRuns) : null;
    if (live) {
      print(out, "whole pipeline, exported table:", withoutLive);
      out.printf(
          "live popularity / exported table: %11.2f CPU per event, %.2f events/s%n",
          pipeline.cpuMicrosPerEvent() / withoutLive.cpuMicrosPerEvent(),
          pipeline.eventsPerSecond() / withoutLive.eventsPerSecond());
    }
    LatencyAtLoad.SwitchFigures modelSwitch = PipelineThroughput.acrossModelSwitch(events, job);
    printSwitch(out, modelSwitch);
    UserScaling.Figures scaling =
        scalingEvents > 0 ? UserScaling.measure(scalingEvents, job, out) : null;
    return new BenchmarkReport(
        batch,
        events.size(),
        rounds,
        step1,
        stepBatched,
        LONG_HISTORY,
        longStep1,
        longStepBatched,
        cacheBytes,
        longCacheBytes,
        catalogScan,
        coldJvm,
        passThrough,
        pipeline,
        rates(passThroughRuns),
        rates(pipelineRuns),
        latencies(pipelineRuns),
        share,
        withoutLive,
        livePopularity,
        state.median(),
        state.mean(),
        modelSwitch,
        scaling);
  }

  /** The run of median throughput (runs are few and odd in number). */
  private static PipelineThroughput.Measurement medianRun(
      List<PipelineThroughput.Measurement> runs) {
    List<PipelineThroughput.Measurement> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(PipelineThroughput.Measurement::eventsPerSecond));
    return sorted.get(sorted.size() / 2);
  }

  /** Each percentile's median over the runs, and the events they timed together. */
  private static LatencyPercentiles medianLatency(List<PipelineThroughput.Measurement> runs) {
    List<LatencyPercentiles> latencies = latencies(runs);
    return new LatencyPercentiles(
        latencies.stream().mapToLong(LatencyPercentiles::samples).sum(),
        Median.of(latencies.stream().map(LatencyPercentiles::p50Ms).toList()),
        Median.of(latencies.stream().map(LatencyPercentiles::p95Ms).toList()),
        Median.of(latencies.stream().map(LatencyPercentiles::p99Ms).toList()));
  }

  private static List<LatencyPercentiles> latencies(List<PipelineThroughput.Measurement> runs) {
    return runs.stream().map(PipelineThroughput.Measurement::latency).toList();
  }

  private static List<Double> rates(List<PipelineThroughput.Measurement> runs) {
    return runs.stream().map(PipelineThroughput.Measurement::eventsPerSecond).toList();
  }

  private static void printStep(
      PrintStream out, ModelBundle model, int batch, double eventsPerSecond) {
    out.printf(
        "model step alone, L = %-3d batch %-3d: %,10.0f events/s (%.1f us per event)%n",
        model.historyLength(), batch, eventsPerSecond, 1e6 / eventsPerSecond);
  }

  private static void printLatency(PrintStream out, PipelineThroughput.Measurement run) {
    out.printf(
        "latency at %,.0f events/s (half):  p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (%,d events, %,d"
            + " without a recommendation a minute after the last send)%n",
        run.latencyRate(),
        run.latency().p50Ms(),
        run.latency().p95Ms(),
        run.latency().p99Ms(),
        run.latency().samples(),
        run.latencyUnanswered());
  }

  private static void printSwitch(PrintStream out, LatencyAtLoad.SwitchFigures figures) {
    out.printf(
        "model switch at half the throughput: before p50 %.1f ms, p99 %.1f ms, %.1f us CPU per"
            + " event; after p50 %.1f ms, p99 %.1f ms, %.1f us CPU per event (%,d and %,d"
            + " events)%n",
        figures.before().p50Ms(),
        figures.before().p99Ms(),
        figures.cpuMicrosPerEventBefore(),
        figures.after().p50Ms(),
        figures.after().p99Ms(),
        figures.cpuMicrosPerEventAfter(),
        figures.before().samples(),
        figures.after().samples());
  }

  private static void print(PrintStream out, String what, PipelineThroughput.Measurement figures) {
    out.printf(
        "%-33s%,12.0f events/s, %,6.1f us CPU per event (steady state, %,d events)%n",
        what, figures.eventsPerSecond(), figures.cpuMicrosPerEvent(), figures.events());
  }
}
