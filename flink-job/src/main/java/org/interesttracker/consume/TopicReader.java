package org.interesttracker.consume;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
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
  // Long enough for a remote broker, short enough that a wrong address is reported promptly.
  private static final String DEFAULT_API_TIMEOUT_MS = "15000";

  /** Receives each record read; returns false to stop reading. */
  @FunctionalInterface
  public interface RecordHandler {
    boolean accept(ConsumerRecord<byte[], byte[]> record);
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String servers;
  private final Object timeoutMs;

  /** A reader with {@code clientConfig} (bootstrap servers, security settings...) as its base. */
  public TopicReader(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, DEFAULT_API_TIMEOUT_MS);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "interest-tracker-consume");
    this.servers = String.valueOf(config.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    this.timeoutMs = config.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Reads {@code topic} from {@code from}, handing each record to {@code handler} until it returns
   * false or, unless {@code follow}, the end offsets seen at the start are reached.
   *
   * @throws ConsumeException if no broker answers or the topic does not exist
   */
  public void read(String topic, ReadFrom from, boolean follow, RecordHandler handler)
      throws ConsumeException {
    List<TopicPartition> partitions = partitionsOf(topic);
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

  private List<TopicPartition> partitionsOf(String topic) throws ConsumeException {
    try {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic);
      if (partitions == null || partitions.isEmpty()) {
        throw new ConsumeException(
            "topic "
                + topic
                + " does not exist at "
                + servers
                + "; topics there: "
                + new TreeSet<>(consumer.listTopics().keySet()),
            null);
      }
      return partitions.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    } catch (TimeoutException e) {
      throw new ConsumeException(
          "no Kafka broker answered at "
              + servers
              + " within "
              + timeoutMs
              + " ms; check --bootstrap-servers (and --kafka-properties for SASL/SSL)",
          e);
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
