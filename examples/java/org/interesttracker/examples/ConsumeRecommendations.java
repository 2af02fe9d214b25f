package org.interesttracker.examples;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;

/**
 * A minimal consumer of the recommendations topic: Kafka's consumer, the Avro classes generated
 * from schemas/Recommendation.avsc, and Avro's own single-object decoder. Nothing else of this
 * project is needed.
 *
 * <pre>
 * java -cp ... org.interesttracker.examples.ConsumeRecommendations localhost:9094 recommendations 10
 * </pre>
 */
public final class ConsumeRecommendations {
  private ConsumeRecommendations() {}

  public static void main(String[] args) throws IOException {
    String bootstrapServers = args.length > 0 ? args[0] : "localhost:9094";
    String topic = args.length > 1 ? args[1] : "recommendations";
    int maxRecords = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    consume(bootstrapServers, topic, maxRecords, r -> System.out.println(describe(r)));
  }

  /** Reads {@code maxRecords} recommendations from the beginning of the topic. */
  public static void consume(
      String bootstrapServers, String topic, int maxRecords, Consumer<Recommendation> handler)
      throws IOException {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "recommendation-example");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // With --delivery-guarantee EXACTLY_ONCE, only committed records are final.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Reads C3 01 + the writer schema's fingerprint, then the body. Records written with an older
    // schema version are read after decoder.addSchema(<that version, from schemas/releases>).
    BinaryMessageDecoder<Recommendation> decoder = Recommendation.getDecoder();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      for (int read = 0; read < maxRecords; ) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          // A null value is a tombstone: the job forgot this user (docs/guarantees.md), and a
          // store of recommendations per user should delete the key's entry.
          if (read < maxRecords && record.value() != null) {
            handler.accept(decoder.decode(record.value()));
            read++;
          }
        }
      }
    }
  }

  /** "user 42 in home (NONE): 17 8.99, 3 7.20, ..." */
  public static String describe(Recommendation recommendation) {
    return "user %s in %s (%s): %s"
        .formatted(
            recommendation.getUserId(),
            recommendation.getScene(),
            recommendation.getColdStart(),
            recommendation.getItems().stream()
                .map(ConsumeRecommendations::describe)
                .collect(Collectors.joining(", ")));
  }

  private static String describe(RecommendedItem item) {
    return "%s %.2f".formatted(item.getItemId(), item.getScore());
  }
}
