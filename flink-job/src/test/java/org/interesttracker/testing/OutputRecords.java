package org.interesttracker.testing;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Reason;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.interesttracker.avro.SceneInterest;
import org.interesttracker.job.DeadLetters;

/**
 * Records as the job writes them to its output topics, made by hand for tests of the tools that
 * read those topics, and a producer that puts raw values on a topic.
 */
public final class OutputRecords {
  private static final long T0 = 1_700_000_000_000L;

  private OutputRecords() {}

  /** A recommendation of two items in {@code scene}, the first explained by a past event. */
  public static Recommendation recommendation(String user, String eventId, String scene) {
    return Recommendation.newBuilder()
        .setUserId(user)
        .setScene(scene)
        .setEventId(eventId)
        .setEventTime(T0)
        .setEmitTime(T0 + 1_000)
        .setModelVersion("test-model")
        .setColdStart(ColdStart.NEW_IN_SCENE)
        .setItems(
            List.of(
                new RecommendedItem("item-9", 2.5f, List.of(new Reason("item-3", "search", 0.75f))),
                new RecommendedItem("item-4", 1.25f, List.of())))
        .build();
  }

  public static InterestProfile profile(String user, String eventId) {
    return InterestProfile.newBuilder()
        .setUserId(user)
        .setEventId(eventId)
        .setEventTime(T0)
        .setAsOf(T0)
        .setEmitTime(T0 + 1_000)
        .setScenes(List.of(new SceneInterest("home", 1.5, T0, 3L)))
        .setHistoryLength(3)
        .build();
  }

  /** A dead letter for {@code raw}, read from partition 1 at offset 42 of interactions. */
  public static DeadLetter deadLetter(byte[] raw, DeadLetterReason reason, String error) {
    return DeadLetters.of(raw, "interactions", 1, 42L, reason, error, T0 + 2_000);
  }

  /** Sends the values in order, unkeyed; returns when the broker has them. */
  public static void send(String bootstrapServers, String topic, List<byte[]> values) {
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
      values.forEach(value -> producer.send(new ProducerRecord<>(topic, value)));
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }
}
