package org.interesttracker.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.serde.AvroCodec;

/**
 * Writes event-log records to a Kafka topic as {@link InteractionEvent}s in the wire format of the
 * job (Avro single-object encoding, key = user id), at a given rate or as fast as possible, and
 * optionally injects duplicates and malformed records (see {@link ReplaySettings}).
 *
 * <p>Valid events get the id {@code <prefix>-<row index>}, malformed records {@code <prefix>-<row
 * index>-malformed}; records of one user keep their order because they share a key.
 */
public final class KafkaEventReplayer implements AutoCloseable {
  private static final AvroCodec<InteractionEvent> CODEC = AvroCodec.of(InteractionEvent.class);

  private final ReplaySettings settings;
  private final Producer<byte[], byte[]> producer;
  private final EventSendListener listener;
  private final AtomicLong recordsSent = new AtomicLong();
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

  /**
   * @param producerConfig at least {@code bootstrap.servers}; anything else (security, tuning)
   *     overrides the replayer's defaults
   */
  public KafkaEventReplayer(
      ReplaySettings settings, Map<String, Object> producerConfig, EventSendListener listener) {
    this.settings = settings;
    this.producer =
        new KafkaProducer<>(
            withDefaults(producerConfig), new ByteArraySerializer(), new ByteArraySerializer());
    this.listener = listener;
  }

  /**
   * Sends every record of {@code events}, then waits until Kafka acknowledged all of them.
   *
   * @throws ReplayException if Kafka rejected a record; what was sent before stays sent
   * @throws InterruptedException if the thread was interrupted while pacing; sending stops
   */
  public ReplayResult replay(Iterator<EventLogRecord> events) throws InterruptedException {
    FaultInjector faults =
        new FaultInjector(settings.duplicateRate(), settings.malformedRate(), settings.seed());
    Pacer pacer = new Pacer(settings.eventsPerSecond());
    long rowIndex = 0;
    long duplicates = 0;
    Map<MalformedKind, Long> malformed = new EnumMap<>(MalformedKind.class);
    while (events.hasNext()) {
      InteractionEvent event = events.next().toEvent(settings.eventIdPrefix() + "-" + rowIndex);
      pacer.awaitNext();
      listener.sent(event.getEventId(), System.nanoTime());
      send(event.getUserId(), CODEC.encode(event));

      Optional<InteractionEvent> duplicate = faults.duplicateAfter(event);
      if (duplicate.isPresent()) {
        pacer.awaitNext();
        send(duplicate.get().getUserId(), CODEC.encode(duplicate.get()));
        duplicates++;
      }
      Optional<MalformedKind> kind = faults.malformedAfter();
      if (kind.isPresent()) {
        InteractionEvent template =
            InteractionEvent.newBuilder(event)
                .setEventId(event.getEventId() + "-malformed")
                .build();
        pacer.awaitNext();
        send(event.getUserId(), kind.get().value(template, CODEC));
        malformed.merge(kind.get(), 1L, Long::sum);
      }
      rowIndex++;
    }
    producer.flush();
    failIfAnySendFailed();
    return new ReplayResult(rowIndex, duplicates, malformed);
  }

  /** Records handed to Kafka so far (valid, duplicate and malformed); for progress reports. */
  public long recordsSent() {
    return recordsSent.get();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  private void send(String userId, byte[] value) {
    failIfAnySendFailed();
    byte[] key = userId.getBytes(StandardCharsets.UTF_8);
    producer.send(
        new ProducerRecord<>(settings.topic(), key, value),
        (metadata, exception) -> {
          if (exception != null) {
            sendFailure.compareAndSet(null, exception);
          }
        });
    recordsSent.incrementAndGet();
  }

  /** Stops at the first rejected record rather than sending on into a broken topic. */
  private void failIfAnySendFailed() {
    Exception failure = sendFailure.get();
    if (failure != null) {
      throw new ReplayException(
          "Kafka rejected a record for topic " + settings.topic() + ": " + failure.getMessage(),
          failure);
    }
  }

  private static Map<String, Object> withDefaults(Map<String, Object> producerConfig) {
    Map<String, Object> config = new HashMap<>();
    // Idempotence keeps each user's events in order and once each, even when the client retries.
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    // A replay against a wrong address should fail in seconds, not after the default minute.
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    config.putAll(producerConfig);
    return config;
  }
}
