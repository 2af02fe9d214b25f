package org.interesttracker.bench;

/**
 * The benchmark's figures, printed and written as JSON.
 *
 * @param modelEventsPerSecondBatch1 ONNX Runtime alone, one history per call
 * @param modelEventsPerSecondJobBatch ONNX Runtime alone at the batch size the job uses
 * @param modelEventsPerSecondBatched ONNX Runtime alone at {@code batchedSize} histories per call
 * @param recommenderEventsPerSecond model, exact top-K over every item, reasons: the job's
 *     per-event work outside Flink
 * @param topKQueriesPerSecondOver100kItems exact top-K over a random 100,000-item catalog
 * @param pipelineEventsPerSecond Kafka in and out, Flink, RocksDB, checkpoints
 * @param pipelineShareOfBatchedModel pipeline / model batched: the goal is 0.6 or more
 * @param stateBytesPerUserMedian Avro-encoded keyed state of one user
 */
public record BenchmarkReport(
    int jobBatchSize,
    int batchedSize,
    int modelRequests,
    int pipelineEvents,
    int rounds,
    double modelEventsPerSecondBatch1,
    double modelEventsPerSecondJobBatch,
    double modelEventsPerSecondBatched,
    double recommenderEventsPerSecond,
    double topKQueriesPerSecondOver100kItems,
    double pipelineEventsPerSecond,
    double pipelineShareOfBatchedModel,
    double stateBytesPerUserMedian,
    double stateBytesPerUserMean) {}
