package org.interesttracker.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.serde.AvroCodec;

/**
 * Reads the recommendation topic from its start on a thread of its own and hands every record, as
 * it arrives, to a callback.
 */
final class RecommendationFeed implements AutoCloseable {
  private static final AvroCodec<Recommendation> RECOMMENDATIONS =
      AvroCodec.of(Recommendation.class);

  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean closed;

  /**
   * @param isolation {@code read_committed} sees what a downstream consumer sees, only once the
   *     job's checkpoint commits it; {@code read_uncommitted} sees records as the job writes them
   */
  RecommendationFeed(
      String bootstrapServers, String topic, String isolation, Consumer<Recommendation> onRecord) {
    thread =
        new Thread(
            () -> {
              try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, isolation)) {
                consumer.subscribe(List.of(topic));
                while (!closed) {
                  for (ConsumerRecord<byte[], byte[]> record :
                      consumer.poll(Duration.ofMillis(100))) {
                    onRecord.accept(RECOMMENDATIONS.decode(record.value()));
                  }
                }
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "recommendations-" + isolation);
    thread.start();
  }

  /** Stops reading; throws what made the reading thread stop, if anything did. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join();
    if (failure.get() != null) {
      throw new IllegalStateException("reading the recommendations failed", failure.get());
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String isolation) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "soak-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            isolation),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
