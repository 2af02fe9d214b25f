package org.interesttracker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serde.RecordDecodingException;
import org.interesttracker.testing.KafkaTestBase;
import org.junit.jupiter.api.Test;

class KafkaEventReplayerITCase extends KafkaTestBase {
  private static final AvroCodec<InteractionEvent> CODEC = AvroCodec.of(InteractionEvent.class);
  private static final long START_MS = 1_700_000_000_000L;
  private static final int USERS = 7;
  private static final List<EventLogRecord> LOG = eventLog(400);

  private static int topicNumber;

  @Test
  void sendsEveryEventOnceWithItsRowIndexAsIdAndUserAsKey() throws Exception {
    String topic = newTopic(2);
    Map<String, Long> sendTimes = new LinkedHashMap<>();

    ReplayResult result = replay(ReplaySettings.plain(topic, "run"), sendTimes::put);

    assertThat(result).isEqualTo(new ReplayResult(400, 0, Map.of()));
    List<ConsumerRecord<byte[], byte[]>> records = consume(topic, 400);
    assertThat(records).hasSize(400);
    for (ConsumerRecord<byte[], byte[]> record : records) {
      InteractionEvent event = CODEC.decode(record.value());
      int row = Integer.parseInt(event.getEventId().substring("run-".length()));
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.getUserId());
      assertThat(event.getTimestamp()).isEqualTo(LOG.get(row).timestampMs());
      assertThat(event.getItemId()).isEqualTo(LOG.get(row).itemId());
    }
    assertThat(sendTimes.keySet())
        .containsExactlyElementsOf(IntStream.range(0, 400).mapToObj(i -> "run-" + i).toList());
  }

  @Test
  void injectsDuplicatesAndMalformedRecordsAsCounted() throws Exception {
    String topic = newTopic(3);

    ReplayResult result =
        replay(new ReplaySettings(topic, "faults", 0, 0.1, 0.1, 42), EventSendListener.NONE);

    List<ConsumerRecord<byte[], byte[]>> records = consume(topic, result.recordsSent());
    assertThat(records).hasSize((int) result.recordsSent());
    Tally tally = Tally.of(records);
    assertThat(tally.validIds).hasSize(400);
    assertThat(tally.duplicates).isEqualTo(result.duplicatesInjected());
    assertThat(tally.malformed).isEqualTo(result.malformedInjected());
    // With 400 events at 10%, each fault appears; zero would mean injection is broken.
    assertThat(result.duplicatesInjected()).isBetween(20L, 70L);
    assertThat(result.malformedInjected().keySet())
        .containsExactlyInAnyOrder(MalformedKind.values());
    assertThat(tally.outOfOrderUsers).as("users whose events arrived out of order").isEmpty();
  }

  @Test
  void theSameSeedInjectsTheSameFaultsAndAnotherSeedDifferentOnes() throws Exception {
    List<byte[]> first = replayIntoOnePartition(7);
    List<byte[]> second = replayIntoOnePartition(7);
    List<byte[]> otherSeed = replayIntoOnePartition(8);

    assertThat(second).hasSameSizeAs(first);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i)).as("record %d", i).isEqualTo(first.get(i));
    }
    assertThat(otherSeed.stream().map(String::new).toList())
        .isNotEqualTo(first.stream().map(String::new).toList());
  }

  @Test
  void aRateSpreadsTheSendsOverTime() throws Exception {
    String topic = newTopic(1);
    List<EventLogRecord> fifty = LOG.subList(0, 50);
    long start = System.nanoTime();

    ReplayResult result;
    try (KafkaEventReplayer replayer =
        new KafkaEventReplayer(
            new ReplaySettings(topic, "paced", 200, 0, 0, 1),
            producerConfig(),
            EventSendListener.NONE)) {
      result = replayer.replay(fifty.iterator());
    }

    // 50 events at 200/s: the last one is due 245 ms after the first. Only a lower bound is
    // asserted, because a busy machine can make the replay slower but never faster.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(240));
    assertThat(result.validSent()).isEqualTo(50);
    assertThat(consume(topic, 50)).hasSize(50);
  }

  @Test
  void aMissingTopicFailsWithItsName() {
    ReplaySettings settings = ReplaySettings.plain("no-such-topic", "x");
    Map<String, Object> config = new HashMap<>(producerConfig());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);

    assertThatThrownBy(
            () -> {
              try (KafkaEventReplayer replayer =
                  new KafkaEventReplayer(settings, config, EventSendListener.NONE)) {
                replayer.replay(LOG.iterator());
              }
            })
        .isInstanceOf(ReplayException.class)
        .hasMessageContaining("no-such-topic");
  }

  private static List<byte[]> replayIntoOnePartition(long seed) throws Exception {
    String topic = newTopic(1);
    ReplayResult result =
        replay(new ReplaySettings(topic, "seeded", 0, 0.05, 0.05, seed), EventSendListener.NONE);
    return consume(topic, result.recordsSent()).stream().map(ConsumerRecord::value).toList();
  }

  private static ReplayResult replay(ReplaySettings settings, EventSendListener listener)
      throws InterruptedException {
    try (KafkaEventReplayer replayer =
        new KafkaEventReplayer(settings, producerConfig(), listener)) {
      return replayer.replay(LOG.iterator());
    }
  }

  /** What the consumed records contain, classified the way the job will classify them. */
  private static final class Tally {
    final Set<String> validIds = new HashSet<>();
    long duplicates;
    final Map<MalformedKind, Long> malformed = new HashMap<>();
    final Set<String> outOfOrderUsers = new HashSet<>();
    private final Map<String, Integer> lastRowByUser = new HashMap<>();

    static Tally of(List<ConsumerRecord<byte[], byte[]>> records) {
      Tally tally = new Tally();
      records.forEach(tally::add);
      return tally;
    }

    private void add(ConsumerRecord<byte[], byte[]> record) {
      InteractionEvent event;
      try {
        event = CODEC.decode(record.value());
      } catch (RecordDecodingException e) {
        malformed.merge(MalformedKind.UNDECODABLE_BYTES, 1L, Long::sum);
        return;
      }
      if (event.getUserId().isEmpty()) {
        malformed.merge(MalformedKind.EMPTY_USER_ID, 1L, Long::sum);
      } else if (event.getTimestamp() < START_MS) {
        malformed.merge(MalformedKind.TIMESTAMP_IN_1970, 1L, Long::sum);
      } else if (!validIds.add(event.getEventId())) {
        duplicates++;
      } else {
        int row =
            Integer.parseInt(event.getEventId().substring(event.getEventId().indexOf('-') + 1));
        Integer previous = lastRowByUser.put(event.getUserId(), row);
        if (previous != null && previous > row) {
          outOfOrderUsers.add(event.getUserId());
        }
      }
    }
  }

  private static List<EventLogRecord> eventLog(int size) {
    List<EventLogRecord> log = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      log.add(
          new EventLogRecord(
              START_MS + i * 1000L,
              "user-" + (i % USERS),
              "item-" + (i * 31 % 97),
              i % 3 == 0 ? "search" : "home",
              i % 5 == 0 ? EventType.CLICK : EventType.VIEW));
    }
    return List.copyOf(log);
  }

  private static String newTopic(int partitions) {
    String topic = "replay-" + (++topicNumber);
    kafka.createTopics(partitions, topic);
    return topic;
  }

  private static Map<String, Object> producerConfig() {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
  }

  private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, long expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
