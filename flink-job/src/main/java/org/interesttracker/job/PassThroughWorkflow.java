package org.interesttracker.job;

import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.interesttracker.avro.InteractionEvent;

/**
 * The job's graph without its work: read, decode and validate, {@code keyBy(user_id)}, and write
 * each event back out to the recommendation topic. What moving a record through Kafka and Flink
 * costs here on its own: the reference the benchmark measures the full pipeline against.
 */
public final class PassThroughWorkflow {
  private PassThroughWorkflow() {}

  public static void define(StreamExecutionEnvironment env, JobSettings settings) {
    env.fromSource(
            KafkaConnectors.source(settings),
            WatermarkStrategy.noWatermarks(),
            "interactions-source")
        .uid("interactions-source")
        .process(
            InterestTrackerJob.decodeAndValidate(
                settings, settings.interestRules(Map.of(), settings.historyLength())))
        .name("decode-and-validate")
        .uid("decode-and-validate")
        .keyBy(SourcedEvent::userId, Types.STRING)
        .map(sourced -> sourced.event)
        .returns(new AvroTypeInfo<>(InteractionEvent.class))
        .name("pass-through")
        .uid("pass-through")
        .sinkTo(
            KafkaConnectors.sink(
                settings,
                "pass-through",
                new KeyedAvroSerializer<>(
                    settings.recommendationTopic(),
                    InteractionEvent.class,
                    InteractionEvent::getUserId)))
        .name("pass-through-sink")
        .uid("pass-through-sink");
  }
}
