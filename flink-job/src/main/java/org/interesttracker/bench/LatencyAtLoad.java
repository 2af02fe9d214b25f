package org.interesttracker.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.job.JobSettings;
import org.interesttracker.local.LatencyPercentiles;
import org.interesttracker.local.LatencyRecorder;
import org.interesttracker.replay.KafkaEventReplayer;
import org.interesttracker.replay.ReplaySettings;
import org.interesttracker.serde.AvroCodec;

/**
 * Latency from the moment an event is handed to Kafka until its first recommendation is read back,
 * with events arriving at a fixed rate into a job that is already running and warm. The events are
 * sent under new ids and moved forward in time past everything the job has seen, so each is new to
 * the job; the first {@value #WARM_UP_SHARE} of them are left out.
 */
final class LatencyAtLoad {
  private static final double WARM_UP_SHARE = 0.2;
  private static final Duration DRAIN = Duration.ofSeconds(60);
  private static final AvroCodec<Recommendation> RECOMMENDATIONS =
      AvroCodec.of(Recommendation.class);

  private LatencyAtLoad() {}

  /**
   * @param latency send to first recommendation of the events timed
   * @param unanswered events timed whose recommendation was not read within a minute of the last
   *     send: the job fell behind the rate
   */
  record Figures(LatencyPercentiles latency, int unanswered) {}

  static Figures measure(
      String bootstrapServers,
      JobSettings settings,
      List<EventLogRecord> events,
      long seenUntilMs,
      double eventsPerSecond)
      throws Exception {
    List<EventLogRecord> later = after(events, seenUntilMs);
    int warmUp = (int) (later.size() * WARM_UP_SHARE);
    LatencyRecorder recorder = new LatencyRecorder();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      consumer.subscribe(List.of(settings.recommendationTopic()));
      // Joined and positioned at the end before the first event goes out.
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(50));
      }
      consumer.seekToEnd(consumer.assignment());
      consumer.assignment().forEach(consumer::position);
      Thread sender =
          new Thread(
              () -> replay(bootstrapServers, settings, later, eventsPerSecond, recorder, warmUp),
              "latency-replay");
      sender.setUncaughtExceptionHandler((thread, error) -> failure.set(error));
      sender.start();
      long drainUntil = Long.MAX_VALUE;
      while (System.nanoTime() < drainUntil) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
          long now = System.nanoTime();
          recorder.received(RECOMMENDATIONS.decode(record.value()).getEventId(), now);
        }
        if (!sender.isAlive() && drainUntil == Long.MAX_VALUE) {
          drainUntil = System.nanoTime() + DRAIN.toNanos();
        }
        if (!sender.isAlive() && recorder.pending() == 0) {
          break;
        }
      }
      sender.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the paced replay failed", failure.get());
    }
    return new Figures(recorder.percentiles(), recorder.pending());
  }

  /** The events moved forward so that the first comes a day after {@code seenUntilMs}. */
  private static List<EventLogRecord> after(List<EventLogRecord> events, long seenUntilMs) {
    long first = events.stream().mapToLong(EventLogRecord::timestampMs).min().orElseThrow();
    long shift = seenUntilMs - first + Duration.ofDays(1).toMillis();
    return events.stream()
        .map(
            e ->
                new EventLogRecord(
                    e.timestampMs() + shift, e.userId(), e.itemId(), e.scene(), e.eventType()))
        .toList();
  }

  /** Sends at the rate; only events after the warm-up are timed. */
  private static void replay(
      String bootstrapServers,
      JobSettings settings,
      List<EventLogRecord> events,
      double eventsPerSecond,
      LatencyRecorder recorder,
      int warmUp) {
    String prefix = "latency-" + UUID.randomUUID();
    ReplaySettings paced =
        new ReplaySettings(settings.inputTopic(), prefix, eventsPerSecond, 0.0, 0.0, 0L);
    try (KafkaEventReplayer replayer =
        new KafkaEventReplayer(
            paced,
            // Not idempotent: the in-process broker can hand this producer the id of the one that
            // pre-loaded the topic, and would then refuse its sequence numbers as out of order.
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                false,
                // Batches of at most a millisecond: the time measured is the job's, not the
                // sender's batching (5 ms by default).
                ProducerConfig.LINGER_MS_CONFIG,
                1),
            (eventId, sendNanos) -> {
              if (Long.parseLong(eventId.substring(prefix.length() + 1)) >= warmUp) {
                recorder.sent(eventId, sendNanos);
              }
            })) {
      replayer.replay(events.iterator());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "latency-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "latest"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
