package org.interesttracker.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serde.RecordDecodingException;

/**
 * Reads a whole topic as decoded records, as a {@code read_committed} consumer sees it, until the
 * records read are enough, then a while longer: records beyond what was expected (duplicates) are a
 * bug the caller must see.
 */
public final class TopicContents {
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private TopicContents() {}

  /** Reads until {@code expected} records arrived (or the timeout). */
  public static <T extends SpecificRecord> List<T> await(
      String bootstrapServers, String topic, Class<T> type, int expected, Duration timeout)
      throws RecordDecodingException {
    return read(bootstrapServers, topic, type, records -> records.size() >= expected, timeout);
  }

  /** Reads until {@code enough} holds for the records read so far (or the timeout). */
  public static <T extends SpecificRecord> List<T> read(
      String bootstrapServers,
      String topic,
      Class<T> type,
      Predicate<List<T>> enough,
      Duration timeout)
      throws RecordDecodingException {
    AvroCodec<T> codec = AvroCodec.of(type);
    List<T> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      consumer.subscribe(List.of(topic));
      while (!enough.test(records) && System.nanoTime() < deadline) {
        poll(consumer, codec, records);
      }
      long settle = System.nanoTime() + SETTLE.toNanos();
      while (System.nanoTime() < settle) {
        poll(consumer, codec, records);
      }
    }
    return records;
  }

  /** The keys of the committed tombstones on a topic, once {@code expected} arrived. */
  public static List<String> tombstoneKeys(
      String bootstrapServers, String topic, int expected, Duration timeout) {
    List<String> keys = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      consumer.subscribe(List.of(topic));
      while (keys.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            keys.add(new String(record.key(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    return keys;
  }

  private static <T extends SpecificRecord> void poll(
      KafkaConsumer<byte[], byte[]> consumer, AvroCodec<T> codec, List<T> records)
      throws RecordDecodingException {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      // A tombstone (a forgotten user's key) is not a record of the type; see tombstoneKeys.
      if (record.value() != null) {
        records.add(codec.decode(record.value()));
      }
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "test-reader-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
