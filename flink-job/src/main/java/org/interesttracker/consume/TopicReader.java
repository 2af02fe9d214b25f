package org.interesttracker.consume;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every partition of one topic, without a consumer group (nothing is committed, nothing is
 * rebalanced), from the beginning or the end. Bounded unless it follows: it stops at the end
 * offsets the topic had when the read started, so a busy topic still gives a finite answer.
 *
 * <p>Reads only committed records unless the client configuration says otherwise, so it shows what
 * a downstream consumer of an exactly-once job sees.
 */
public final class TopicReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);

  /** Receives each record read; returns false to stop reading. */
  @FunctionalInterface
  public interface RecordHandler {
    boolean accept(ConsumerRecord<byte[], byte[]> record);
  }

  private final KafkaConsumer<byte[], byte[]> consumer;

  /** A reader with {@code clientConfig} (bootstrap servers, security settings...) as its base. */
  public TopicReader(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "interest-tracker-consume");
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Reads {@code topic} from {@code from}, handing each record to {@code handler} until it returns
   * false or, unless {@code follow}, the end offsets seen at the start are reached.
   *
   * @throws IOException if the topic has no partitions (it does not exist)
   */
  public void read(String topic, ReadFrom from, boolean follow, RecordHandler handler)
      throws IOException {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new IOException("the topic " + topic + " has no partitions to read");
    }
    consumer.assign(partitions);
    if (from == ReadFrom.BEGINNING) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
    }
    Map<TopicPartition, Long> end = follow ? Map.of() : consumer.endOffsets(partitions);
    while (follow || !reached(end)) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (!follow && record.offset() >= end.get(new TopicPartition(topic, record.partition()))) {
          continue;
        }
        if (!handler.accept(record)) {
          return;
        }
      }
    }
  }

  /** Whether every partition's position has reached its end offset (a read_committed end). */
  private boolean reached(Map<TopicPartition, Long> end) {
    return end.entrySet().stream()
        .allMatch(partition -> consumer.position(partition.getKey()) >= partition.getValue());
  }

  @Override
  public void close() {
    consumer.close();
  }
}
