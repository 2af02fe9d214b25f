package org.interesttracker.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.interest.InterestRules;
import org.interesttracker.job.InterestTrackerJob;
import org.interesttracker.job.JobSettings;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;

/**
 * One benchmark run: the model's throughput at batch 1, at the job's batch size and batched, the
 * per-event recommendation work, per-user state size, and the steady state of the pass-through
 * graph and of the whole pipeline, all on the same events so the figures compare as ratios.
 */
public final class Benchmark {
  private static final int LARGE_CATALOG = 100_000;

  private final JobSettings.Builder job;
  private final int modelRequests;
  private final int batch;
  private final int rounds;
  private final Path stepModel;

  /**
   * @param stepModel an exported streaming step to measure too, or null
   */
  public Benchmark(
      JobSettings.Builder job, int modelRequests, int batch, int rounds, Path stepModel) {
    this.job = job;
    this.modelRequests = modelRequests;
    this.batch = batch;
    this.rounds = rounds;
    this.stepModel = stepModel;
  }

  public BenchmarkReport run(List<EventLogRecord> events, PrintStream out) throws Exception {
    // Kafka comes from the pipeline measurement; the model figures need the rest of the settings.
    JobSettings settings = job.bootstrapServers("in-process").build();
    ModelBundle model =
        ModelBundle.load(ModelFiles.of(settings.modelDir()), settings.historyLength());
    InterestRules rules = settings.interestRules(model.halfLives());
    int requests = Math.min(modelRequests, events.size());
    HistorySample sample = HistorySample.of(events.iterator(), rules, events.size(), requests);
    ModelThroughput throughput = new ModelThroughput(model, sample.requests(), rounds);

    double batch1 = throughput.onnxEventsPerSecond(1);
    out.printf("model alone, batch 1:            %,12.0f events/s%n", batch1);
    double jobBatch = throughput.onnxEventsPerSecond(InterestTrackerJob.INFERENCE_BATCH_SIZE);
    out.printf(
        "model alone, job batch (%d):      %,12.0f events/s%n",
        InterestTrackerJob.INFERENCE_BATCH_SIZE, jobBatch);
    double batched = throughput.onnxEventsPerSecond(batch);
    out.printf("model alone, batch %-3d:          %,12.0f events/s%n", batch, batched);
    double recommender =
        throughput.recommenderEventsPerSecond(settings.topK(), settings.reasonsPerItem());
    out.printf(
        "model + top-%d + reasons, batch 1: %,11.0f events/s%n", settings.topK(), recommender);

    Double stepBatch1 = null;
    Double stepBatched = null;
    if (stepModel != null) {
      stepBatch1 = StreamingStepThroughput.eventsPerSecond(stepModel, 1, rounds);
      stepBatched = StreamingStepThroughput.eventsPerSecond(stepModel, batch, rounds);
      out.printf(
          "streaming step alone, batch 1:   %,12.0f events/s (%.1f us per event)%n",
          stepBatch1, 1e6 / stepBatch1);
      out.printf(
          "streaming step alone, batch %-3d: %,12.0f events/s (%.1f us per event)%n",
          batch, stepBatched, 1e6 / stepBatched);
    }

    double catalogScan =
        CatalogScan.queriesPerSecond(LARGE_CATALOG, model.dim(), settings.topK(), rounds);
    out.printf(
        "exact top-%d over %,d items:     %,12.0f queries/s%n",
        settings.topK(), LARGE_CATALOG, catalogScan);

    StateSize.Summary state = StateSize.afterReplay(events.iterator(), settings);
    out.printf(
        "state per user:                 %,8.0f bytes median, %,.0f mean (%,d users)%n",
        state.median(), state.mean(), state.users());

    PipelineThroughput.Measurement passThrough =
        PipelineThroughput.measure(events, job, PipelineThroughput.Workflow.PASS_THROUGH);
    print(out, "pass-through (decode, keyBy, encode):", passThrough);
    PipelineThroughput.Measurement pipeline =
        PipelineThroughput.measure(events, job, PipelineThroughput.Workflow.FULL);
    print(out, "whole pipeline:", pipeline);
    double share = pipeline.eventsPerSecond() / passThrough.eventsPerSecond();
    out.printf("pipeline / pass-through:         %12.2f%n", share);
    return new BenchmarkReport(
        InterestTrackerJob.INFERENCE_BATCH_SIZE,
        batch,
        requests,
        events.size(),
        rounds,
        batch1,
        jobBatch,
        batched,
        recommender,
        stepBatch1,
        stepBatched,
        catalogScan,
        passThrough,
        pipeline,
        share,
        state.median(),
        state.mean());
  }

  private static void print(PrintStream out, String what, PipelineThroughput.Measurement figures) {
    out.printf(
        "%-33s%,12.0f events/s, %,6.1f us CPU per event (steady state, %,d events)%n",
        what, figures.eventsPerSecond(), figures.cpuMicrosPerEvent(), figures.events());
  }
}
