package org.interesttracker.job;

import java.util.Properties;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Recommendation;

/** The job's real Kafka source and sinks, built from the settings. */
public final class KafkaConnectors {
  private static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 15 * 60 * 1000L;
  private static final int BATCH_BYTES = 128 * 1024;
  private static final int LINGER_MS = 1;
  // A recommendation repeats its reasons' item ids and scenes: LZ4 stores it in a third of the
  // bytes (profiles in three quarters) and in the benchmark cost no throughput, the broker having
  // fewer bytes to write; zstd took more CPU an event than no compression at all.
  private static final String COMPRESSION = "lz4";

  private KafkaConnectors() {}

  /** Reads the input topic from the group's committed offsets, or from the start on first run. */
  public static KafkaSource<RawRecord> source(JobSettings settings) {
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(settings.bootstrapServers())
        .setProperties(settings.kafkaProperties().toProperties())
        .setTopics(settings.inputTopic())
        .setGroupId(settings.consumerGroup())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new RawRecordDeserializer())
        .build();
  }

  public static KafkaSink<Recommendation> recommendationSink(JobSettings settings) {
    return sink(
        settings,
        "recommendations",
        new KeyedAvroSerializer<>(
            settings.recommendationTopic(), Recommendation.class, Recommendation::getUserId));
  }

  public static KafkaSink<InterestProfile> profileSink(JobSettings settings) {
    return sink(
        settings,
        "profiles",
        new KeyedAvroSerializer<>(
            settings.profileTopic(), InterestProfile.class, InterestProfile::getUserId));
  }

  /** Operations and audit records, and forgotten users' tombstones, to the topics they name. */
  public static KafkaSink<OutboundRecord> operationsSink(JobSettings settings) {
    return sink(settings, "operations", new OutboundSerializer());
  }

  /**
   * Reads the control topic from the group's committed offsets, or from its end when the job first
   * runs: requests sent before a job ever ran are not for it. A restore replays the requests after
   * its checkpoint, as it replays events.
   */
  public static KafkaSource<RawRecord> controlSource(JobSettings settings) {
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(settings.bootstrapServers())
        .setProperties(settings.kafkaProperties().toProperties())
        .setTopics(settings.controlTopic())
        .setGroupId(settings.consumerGroup() + "-control")
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST))
        .setDeserializer(new RawRecordDeserializer())
        .build();
  }

  public static KafkaSink<DeadLetter> deadLetterSink(JobSettings settings) {
    return sink(
        settings,
        "dead-letters",
        new KeyedAvroSerializer<>(settings.deadLetterTopic(), DeadLetter.class, letter -> null));
  }

  /**
   * The user's client properties, plus a transaction timeout the broker accepts (the sink would ask
   * for one hour, above the 15 minutes a default broker allows, and exactly-once would fail at
   * start-up; it must still exceed the checkpoint interval plus any restart time), batches of up to
   * 128 KB (the sinks write thousands of records a second per partition, and the default 16 KB
   * closes a batch, and so a produce request, every few dozen of them), a linger of 1 ms rather
   * than Kafka's 5, which was a quarter of an event's latency, and LZ4 compression. The user's
   * properties win.
   */
  private static Properties producerProperties(JobSettings settings) {
    Properties properties = settings.kafkaProperties().toProperties();
    properties.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(BATCH_BYTES));
    properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(LINGER_MS));
    properties.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
    properties.putIfAbsent(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(DEFAULT_TRANSACTION_TIMEOUT_MS));
    return properties;
  }

  /**
   * Each sink gets its own transactional id prefix: two sinks sharing one would fence each other.
   */
  static <T> KafkaSink<T> sink(
      JobSettings settings, String name, KafkaRecordSerializationSchema<T> serializer) {
    return KafkaSink.<T>builder()
        .setBootstrapServers(settings.bootstrapServers())
        .setKafkaProducerConfig(producerProperties(settings))
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(settings.deliveryGuarantee())
        .setTransactionalIdPrefix(settings.transactionalIdPrefix() + "-" + name)
        .build();
  }
}
