package org.interesttracker.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.job.JobSettings;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serde.RecordDecodingException;

/**
 * Every output topic's records per user, in the order each user's records were written (one user's
 * records share a partition). Comparing two of these compares whole runs.
 *
 * @param perTopic topic entry name -> user -> comparable records
 */
public record JobOutputs(Map<String, Map<String, List<String>>> perTopic) {

  /** What one uninterrupted, sequential pass over the events writes. */
  public static JobOutputs expected(JobSettings settings, List<InteractionEvent> events) {
    Map<String, Map<String, List<String>>> perTopic = new HashMap<>();
    for (OutputTopic<?> output : OutputTopic.ALL) {
      perTopic.put(output.name(), output.expectedPerUser(settings, events));
    }
    return new JobOutputs(perTopic);
  }

  /**
   * Reads every output topic as a {@code read_committed} consumer until it holds every record of
   * {@code expected}, then a while longer so that records beyond them (duplicates) are seen too.
   */
  public static JobOutputs await(
      String bootstrapServers, JobSettings settings, JobOutputs expected, Duration timeout)
      throws RecordDecodingException {
    Map<String, Map<String, List<String>>> perTopic = new HashMap<>();
    for (OutputTopic<?> output : OutputTopic.ALL) {
      perTopic.put(
          output.name(),
          read(
              bootstrapServers, settings, output, expected.perTopic().get(output.name()), timeout));
    }
    return new JobOutputs(perTopic);
  }

  /** The same records with every repeat of a record within a user's sequence removed. */
  public JobOutputs withoutRepeats() {
    Map<String, Map<String, List<String>>> distinct = new HashMap<>();
    perTopic.forEach(
        (topic, perUser) -> {
          Map<String, List<String>> users = new HashMap<>();
          perUser.forEach(
              (user, records) -> users.put(user, List.copyOf(new LinkedHashSet<>(records))));
          distinct.put(topic, users);
        });
    return new JobOutputs(distinct);
  }

  /** Records in all topics that repeat an earlier record of the same user. */
  public int repeats() {
    return count() - withoutRepeats().count();
  }

  public int count() {
    return perTopic.values().stream()
        .flatMap(perUser -> perUser.values().stream())
        .mapToInt(List::size)
        .sum();
  }

  private static final Duration SETTLE = Duration.ofSeconds(2);

  private static <T extends SpecificRecord> Map<String, List<String>> read(
      String bootstrapServers,
      JobSettings settings,
      OutputTopic<T> output,
      Map<String, List<String>> expected,
      Duration timeout)
      throws RecordDecodingException {
    AvroCodec<T> codec = AvroCodec.of(output.type());
    List<T> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      consumer.subscribe(List.of(output.topic().apply(settings)));
      while (!containsAll(output.perUser(records), expected) && System.nanoTime() < deadline) {
        poll(consumer, codec, records);
      }
      long settle = System.nanoTime() + SETTLE.toNanos();
      while (System.nanoTime() < settle) {
        poll(consumer, codec, records);
      }
    }
    return output.perUser(records);
  }

  private static <T extends SpecificRecord> void poll(
      KafkaConsumer<byte[], byte[]> consumer, AvroCodec<T> codec, List<T> records)
      throws RecordDecodingException {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      records.add(codec.decode(record.value()));
    }
  }

  private static boolean containsAll(
      Map<String, List<String>> actual, Map<String, List<String>> expected) {
    return expected.entrySet().stream()
        .allMatch(
            user -> actual.getOrDefault(user.getKey(), List.of()).containsAll(user.getValue()));
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
