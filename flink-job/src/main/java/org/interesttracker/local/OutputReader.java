package org.interesttracker.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serde.RecordDecodingException;

/**
 * Reads the job's output topics from the beginning on its own thread: counts profiles,
 * recommendations (by cold-start kind), the events they answer and dead letters (by reason), tells
 * the latency recorder when each event's recommendation arrived and hands recommendations to the
 * quality evaluation. Reads committed records only, so it sees what a downstream consumer sees
 * under exactly-once too.
 */
final class OutputReader implements AutoCloseable {
  private static final AvroCodec<InterestProfile> PROFILES = AvroCodec.of(InterestProfile.class);
  private static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.of(DeadLetter.class);
  private static final AvroCodec<Recommendation> RECOMMENDATIONS =
      AvroCodec.of(Recommendation.class);

  private final String profileTopic;
  private final String deadLetterTopic;
  private final String recommendationTopic;
  private final LatencyRecorder latency;
  private final PrequentialEvaluation quality;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final AtomicLong profiles = new AtomicLong();
  private final AnsweredEvents answered = new AnsweredEvents();
  private final AtomicLong recommendations = new AtomicLong();
  private final Map<DeadLetterReason, LongAdder> deadLetters = new ConcurrentHashMap<>();
  private final Map<ColdStart, LongAdder> coldStarts = new ConcurrentHashMap<>();
  private final AtomicReference<Recommendation> latestRecommendation = new AtomicReference<>();
  private final AtomicLong unreadable = new AtomicLong();
  private final AtomicLong lastReadNanos = new AtomicLong();
  private volatile boolean closed;

  OutputReader(
      String bootstrapServers,
      String profileTopic,
      String deadLetterTopic,
      String recommendationTopic,
      LatencyRecorder latency,
      PrequentialEvaluation quality) {
    this.profileTopic = profileTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.recommendationTopic = recommendationTopic;
    this.latency = latency;
    this.quality = quality;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "output-reader");
    this.thread.setDaemon(true);
  }

  void start() {
    // Assigned, not subscribed: no consumer group, so no rebalance delay before the first read.
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(profileTopic, deadLetterTopic, recommendationTopic)) {
      consumer
          .partitionsFor(topic)
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread.start();
  }

  long profiles() {
    return profiles.get();
  }

  /** Events the job applied, counted from their recommendations ({@link AnsweredEvents}). */
  long eventsAnswered() {
    return answered.count();
  }

  /** Events applied per second in steady state, or null if too few. */
  Double steadyStateEventsPerSecond() {
    return answered.steadyStatePerSecond();
  }

  long recommendations() {
    return recommendations.get();
  }

  long deadLetters() {
    return deadLetters.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<DeadLetterReason, Long> deadLettersByReason() {
    Map<DeadLetterReason, Long> byReason = new EnumMap<>(DeadLetterReason.class);
    deadLetters.forEach((reason, count) -> byReason.put(reason, count.sum()));
    return byReason;
  }

  Map<ColdStart, Long> coldStarts() {
    Map<ColdStart, Long> byKind = new EnumMap<>(ColdStart.class);
    coldStarts.forEach((kind, count) -> byKind.put(kind, count.sum()));
    return byKind;
  }

  /** The recommendation read last, to show one as they stream by; empty before the first. */
  Optional<Recommendation> latestRecommendation() {
    return Optional.ofNullable(latestRecommendation.get());
  }

  /** Output records that are not valid Avro of their topic's type: a bug in the job if not 0. */
  long unreadable() {
    return unreadable.get();
  }

  /** {@link System#nanoTime()} of the latest output record read, or 0 before the first. */
  long lastReadNanos() {
    return lastReadNanos.get();
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    thread.join(Duration.ofSeconds(10).toMillis());
  }

  private void run() {
    try (consumer) {
      while (!closed) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          read(record, now);
          lastReadNanos.set(now);
        }
      }
    } catch (WakeupException e) {
      // close() interrupts the poll; nothing is left to read.
    }
  }

  private void read(ConsumerRecord<byte[], byte[]> record, long nowNanos) {
    if (record.value() == null) {
      return; // a forgotten user's tombstone: no output to count
    }
    try {
      if (record.topic().equals(profileTopic)) {
        PROFILES.decode(record.value());
        profiles.incrementAndGet();
      } else if (record.topic().equals(deadLetterTopic)) {
        DeadLetter letter = DEAD_LETTERS.decode(record.value());
        deadLetters.computeIfAbsent(letter.getReason(), reason -> new LongAdder()).increment();
      } else {
        Recommendation recommendation = RECOMMENDATIONS.decode(record.value());
        recommendations.incrementAndGet();
        answered.recommended(recommendation.getUserId(), recommendation.getEventId(), nowNanos);
        latency.received(recommendation.getEventId(), nowNanos);
        coldStarts
            .computeIfAbsent(recommendation.getColdStart(), kind -> new LongAdder())
            .increment();
        latestRecommendation.set(recommendation);
        quality.recommended(
            recommendation.getEventId(),
            recommendation.getItems().stream().map(RecommendedItem::getItemId).toList());
      }
    } catch (RecordDecodingException e) {
      unreadable.incrementAndGet();
    }
  }
}
