package org.interesttracker.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.serde.AvroCodec;

/** Valid input events for job tests, and a way to put them on the input topic. */
public final class InteractionEvents {
  public static final int USERS = 20;
  private static final long T0 = 1_700_000_000_000L;
  private static final String[] SCENES = {"home", "search", "video", "shop"};
  private static final EventType[] TYPES = {EventType.VIEW, EventType.CLICK, EventType.LIKE};
  private static final AvroCodec<InteractionEvent> CODEC = AvroCodec.of(InteractionEvent.class);

  private InteractionEvents() {}

  /**
   * Events number {@code first} to {@code first + count - 1}: {@link #USERS} users taking turns,
   * one event a minute, over several scenes, items and event types.
   */
  public static List<InteractionEvent> range(int first, int count) {
    List<InteractionEvent> events = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      events.add(
          InteractionEvent.newBuilder()
              .setEventId("e" + i)
              .setUserId("user-" + (i % USERS))
              // Ids the default model knows, so recommendations are personal.
              .setItemId(String.valueOf(1 + i * 7 % 50))
              .setScene(SCENES[i % 7 % SCENES.length])
              .setEventType(TYPES[i % 5 % TYPES.length])
              .setTimestamp(T0 + i * 60_000L)
              .build());
    }
    return events;
  }

  /** Sends the events keyed by user, as a producer of the input topic does; returns when acked. */
  public static void send(String bootstrapServers, String topic, List<InteractionEvent> events) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            new StringSerializer(),
            new ByteArraySerializer())) {
      events.forEach(
          event ->
              producer.send(new ProducerRecord<>(topic, event.getUserId(), CODEC.encode(event))));
    }
  }
}
