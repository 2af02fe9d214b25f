package org.interesttracker.bench;

import java.util.List;
import org.interesttracker.local.LatencyPercentiles;

/**
 * The benchmark's figures, printed and written as JSON.
 *
 * @param modelStepEventsPerSecondBatch1 the model's per-event step alone in ONNX Runtime, one user
 *     per call
 * @param modelStepEventsPerSecondBatched the same at {@code batchedSize} users per call
 * @param longHistoryLength the history length L of the long-history step graph
 * @param longHistoryStepEventsPerSecondBatch1 the step at that L, one user per call
 * @param longHistoryStepEventsPerSecondBatched the step at that L, {@code batchedSize} per call
 * @param modelStateBytesFullHistory a user's model state once the history is full, at the model's L
 * @param longHistoryModelStateBytesFullHistory the same at the long history's L
 * @param topKQueriesPerSecondOver100kItems exact top-K over a random 100,000-item catalog
 * @param pipelineInFreshJvm the whole job's first run in this process, throughput and latency,
 *     while the JIT compiles: it warms the JVM for the runs after it
 * @param passThrough steady state of the job's graph without its work (decode, keyBy, encode,
 *     sink), the price of moving data through Kafka and Flink: the median of {@code
 *     passThroughRuns}
 * @param pipeline steady state of the whole job (Kafka in and out, Flink, RocksDB, checkpoints):
 *     the median of {@code pipelineRuns}; its latency is each percentile's median over the runs
 *     ({@code pipelineLatencies}), measured after each at half of that run's throughput
 * @param passThroughRuns events per second of each pass-through run, in a warm JVM
 * @param pipelineRuns events per second of each run of the whole job, in a warm JVM
 * @param pipelineLatencies latency of each of those runs at half of its throughput
 * @param pipelineShareOfPassThrough pipeline / pass-through events per second (medians), in one run
 *     of the benchmark
 * @param pipelineWithExportedPopularity the whole job ranking with the model's exported table
 *     instead of live popularity (median of as many runs, in the same loop), or null when the model
 *     does not blend live popularity
 * @param livePopularity the live-popularity table at 1,000,000 items: CPU per snapshot column and
 *     per new-user list, heap per item
 * @param stateBytesPerUserMedian Avro-encoded keyed state of one user
 * @param modelSwitch latency and CPU per event at half the throughput before and after a model
 *     version is promoted in the running job, a fresh run after the others
 * @param userScaling the whole job with few and with many users, or null if not measured
 */
public record BenchmarkReport(
    int batchedSize,
    int pipelineEvents,
    int rounds,
    double modelStepEventsPerSecondBatch1,
    double modelStepEventsPerSecondBatched,
    int longHistoryLength,
    double longHistoryStepEventsPerSecondBatch1,
    double longHistoryStepEventsPerSecondBatched,
    int modelStateBytesFullHistory,
    int longHistoryModelStateBytesFullHistory,
    double topKQueriesPerSecondOver100kItems,
    PipelineThroughput.Measurement pipelineInFreshJvm,
    PipelineThroughput.Measurement passThrough,
    PipelineThroughput.Measurement pipeline,
    List<Double> passThroughRuns,
    List<Double> pipelineRuns,
    List<LatencyPercentiles> pipelineLatencies,
    double pipelineShareOfPassThrough,
    PipelineThroughput.Measurement pipelineWithExportedPopularity,
    LivePopularityCost.Figures livePopularity,
    double stateBytesPerUserMedian,
    double stateBytesPerUserMean,
    LatencyAtLoad.SwitchFigures modelSwitch,
    UserScaling.Figures userScaling) {}
