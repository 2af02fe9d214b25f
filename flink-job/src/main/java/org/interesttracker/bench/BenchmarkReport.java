package org.interesttracker.bench;

/**
 * The benchmark's figures, printed and written as JSON.
 *
 * @param modelEventsPerSecondBatch1 ONNX Runtime alone, one history per call
 * @param modelEventsPerSecondJobBatch ONNX Runtime alone at the batch size the job uses
 * @param modelEventsPerSecondBatched ONNX Runtime alone at {@code batchedSize} histories per call
 * @param recommenderEventsPerSecond model, exact top-K over every item, reasons: the job's
 *     per-event work outside Flink
 * @param streamingStepEventsPerSecondBatch1 the streaming model's per-event step alone, one user
 *     per call; null unless a step directory was given
 * @param streamingStepEventsPerSecondBatched the same at {@code batchedSize} users per call
 * @param topKQueriesPerSecondOver100kItems exact top-K over a random 100,000-item catalog
 * @param passThrough steady state of the job's graph without its work (decode, keyBy, encode,
 *     sink): the price of moving data through Kafka and Flink
 * @param pipeline steady state of the whole job: Kafka in and out, Flink, RocksDB, checkpoints
 * @param pipelineShareOfPassThrough pipeline / pass-through events per second, in one run
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
    Double streamingStepEventsPerSecondBatch1,
    Double streamingStepEventsPerSecondBatched,
    double topKQueriesPerSecondOver100kItems,
    PipelineThroughput.Measurement passThrough,
    PipelineThroughput.Measurement pipeline,
    double pipelineShareOfPassThrough,
    double stateBytesPerUserMedian,
    double stateBytesPerUserMean) {}
