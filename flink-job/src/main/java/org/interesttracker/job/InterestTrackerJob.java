package org.interesttracker.job;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.interest.InterestRules;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serde.WriterSchemaDirectory;
import org.interesttracker.serving.ModelBundle;
import org.rocksdb.CompressionType;

/**
 * The job graph:
 *
 * <pre>
 * source(raw bytes) -> decode-and-validate --(side output)--> dead-letter sink
 *   -> event-time watermarks -> keyBy(user_id) -> interest-update (RocksDB, ONNX models)
 *        |                                            ^    -> recommendation sink
 *        '-> popularity-events -> keyBy(item, scene   |    (live popularity, when the model
 *            and item) -> popularity-aggregation      |     blends it)
 *                                        |            |
 * control source -> decode-control -> union -> broadcast   \--(side output)--> profile sink
 *                                                          \--(too late)-----> dead-letter sink
 *                                                          \--(operations, tombstones)
 *                                                                 --> operations sink
 * </pre>
 *
 * The graph takes its source and sinks as parameters so tests plug in their own. Every operator has
 * a name and a stable uid: savepoints map state to operators by uid.
 */
public final class InterestTrackerJob {
  public static final String JOB_NAME = "interest-tracker";

  private InterestTrackerJob() {}

  /**
   * RocksDB with incremental checkpoints, checkpoints kept on cancellation (so a job can be
   * restarted from its last one), exactly-once checkpoints, no Kryo (every type on the wire or in
   * state must have a Flink or Avro serializer), object reuse, RocksDB without compression unless
   * the cluster asks for it, and the network buffer timeout of the settings.
   */
  public static void configure(StreamExecutionEnvironment env, JobSettings settings) {
    Configuration config = new Configuration();
    config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    config.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    config.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    if (settings.checkpointDir() != null) {
      config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir());
    }
    if (env.getConfiguration()
        .getOptional(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL)
        .isEmpty()) {
      // Most of a user's state is float vectors: Snappy, RocksDB's default, saved 11% of its
      // bytes, while compressing every flush and compaction took 3% of the job's CPU. A cluster
      // that sets compression keeps its own.
      config.set(
          RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL,
          List.of(CompressionType.NO_COMPRESSION));
    }
    config.set(PipelineOptions.GENERIC_TYPES, false);
    // No function keeps a record it was given or changes one it sent, so chained operators may
    // pass records on without copying them.
    config.set(PipelineOptions.OBJECT_REUSE, true);
    env.configure(config);
    env.setBufferTimeout(settings.bufferTimeout().toMillis());
    env.enableCheckpointing(
        settings.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    env.setParallelism(settings.parallelism());
    env.setMaxParallelism(settings.maxParallelism());
  }

  /** Decoding and validation as the settings ask for, counting events in unknown scenes. */
  static DecodeAndValidate decodeAndValidate(JobSettings settings, InterestRules rules) {
    return new DecodeAndValidate(
        AvroCodec.of(
            InteractionEvent.class, WriterSchemaDirectory.read(settings.writerSchemaDir())),
        new EventValidator(settings.minEventTime(), settings.maxClockSkew()),
        rules.halfLives(),
        settings.failureLimit());
  }

  /** The graph wired to the real Kafka source and sinks. */
  public static void defineKafkaWorkflow(StreamExecutionEnvironment env, JobSettings settings) {
    defineWorkflow(
        env,
        settings,
        KafkaConnectors.source(settings),
        KafkaConnectors.controlSource(settings),
        new Sinks(
            KafkaConnectors.recommendationSink(settings),
            KafkaConnectors.profileSink(settings),
            KafkaConnectors.deadLetterSink(settings),
            KafkaConnectors.operationsSink(settings)));
  }

  /** Where the job's outputs go. */
  public record Sinks(
      Sink<Recommendation> recommendations,
      Sink<InterestProfile> profiles,
      Sink<DeadLetter> deadLetters,
      Sink<OutboundRecord> operations) {}

  /**
   * Builds the graph. Loads the model and the writer schemas once here, so a missing or
   * inconsistent model directory or schema fails before the job is submitted; its learned
   * half-lives decay the profile's per-scene strengths wherever no half-life was configured.
   */
  public static void defineWorkflow(
      StreamExecutionEnvironment env,
      JobSettings settings,
      Source<RawRecord, ?, ?> source,
      Source<RawRecord, ?, ?> controlSource,
      Sinks sinks) {
    ModelBundle model = settings.loadModel();
    InterestRules rules = settings.interestRules(model);

    SingleOutputStreamOperator<SourcedEvent> events =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "interactions-source")
            .uid("interactions-source")
            .process(decodeAndValidate(settings, rules))
            .name("decode-and-validate")
            .uid("decode-and-validate");

    // One reader: the control topic's order is the order requests apply in.
    SingleOutputStreamOperator<ControlRequest> control =
        env.fromSource(controlSource, ControlWatermarks.none(), "control-source")
            .uid("control-source")
            .setParallelism(1)
            .process(new DecodeControl())
            .name("decode-control")
            .uid("decode-control")
            .setParallelism(1);

    SingleOutputStreamOperator<SourcedEvent> timed =
        events
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<SourcedEvent>forBoundedOutOfOrderness(settings.allowedLateness())
                    .withTimestampAssigner((sourced, ignored) -> sourced.event.getTimestamp())
                    // A parallel instance without input must not hold back the TTL timers.
                    .withIdleness(Duration.ofMinutes(1)))
            .name("event-time")
            .uid("event-time");
    DataStream<BroadcastInput> broadcast =
        control
            .map(BroadcastInput::of)
            .returns(BroadcastInput.class)
            .name("control-requests")
            .uid("control-requests")
            .setParallelism(1);
    if (settings.livePopularity() && model.livePopularity().isPresent()) {
      // Every scoring instance ranks every item, so each needs every item's weight: broadcast.
      broadcast =
          broadcast.union(
              timed
                  .flatMap(
                      (SourcedEvent sourced, Collector<PopularityEvent> out) ->
                          PopularityEvent.countsOf(sourced.event, out))
                  .returns(PopularityEvent.class)
                  .name("popularity-events")
                  .uid("popularity-events")
                  .keyBy(counted -> counted.key, Types.STRING)
                  .process(new PopularityAggregation(model.livePopularity().get()))
                  .returns(BroadcastInput.class)
                  .name("popularity-aggregation")
                  .uid("popularity-aggregation"));
    }

    SingleOutputStreamOperator<Recommendation> recommendations =
        timed
            .keyBy(SourcedEvent::userId, Types.STRING)
            .connect(broadcast.broadcast())
            .transform(
                "interest-update",
                new AvroTypeInfo<>(Recommendation.class),
                new InterestUpdateOperator(settings, rules))
            .uid("interest-update");

    recommendations
        .sinkTo(sinks.recommendations())
        .name("recommendation-sink")
        .uid("recommendation-sink");
    recommendations
        .getSideOutput(InterestUpdateOperator.PROFILES)
        .sinkTo(sinks.profiles())
        .name("profile-sink")
        .uid("profile-sink");
    recommendations
        .getSideOutput(InterestUpdateOperator.OUTBOUND)
        .sinkTo(sinks.operations())
        .name("operations-sink")
        .uid("operations-sink");
    DataStream<DeadLetter> deadLetters =
        events
            .getSideOutput(DeadLetters.TAG)
            .union(
                control.getSideOutput(DeadLetters.TAG),
                recommendations.getSideOutput(DeadLetters.TAG));
    deadLetters.sinkTo(sinks.deadLetters()).name("dead-letter-sink").uid("dead-letter-sink");
  }
}
