package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);

  private static EmbeddedKafkaBroker kafka;

  @BeforeAll
  static void startBroker() {
    kafka = new EmbeddedKafkaBroker().start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void recordRoundTripsThroughTheBroker() throws Exception {
    kafka.createTopics(2, "round-trip");

    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>("round-trip", "user-1", "hello")).get();
    }

    List<ConsumerRecord<String, String>> records = consumeAll("round-trip", 1, "read_uncommitted");
    assertThat(records).extracting(ConsumerRecord::key).containsExactly("user-1");
    assertThat(records).extracting(ConsumerRecord::value).containsExactly("hello");
  }

  @Test
  void readCommittedConsumerSeesCommittedTransactionsOnly() throws Exception {
    kafka.createTopics(1, "transactions");

    try (KafkaProducer<String, String> producer =
        producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx"))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("transactions", "user-1", "aborted"));
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("transactions", "user-1", "committed-1"));
      producer.send(new ProducerRecord<>("transactions", "user-2", "committed-2"));
      producer.commitTransaction();
    }

    List<ConsumerRecord<String, String>> records = consumeAll("transactions", 2, "read_committed");
    assertThat(records)
        .extracting(ConsumerRecord::value)
        .containsExactly("committed-1", "committed-2");
  }

  @Test
  void createTopicsRejectsAnExistingTopicWithItsName() {
    kafka.createTopics(1, "existing");

    assertThatThrownBy(() -> kafka.createTopics(1, "existing"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("existing");
  }

  @Test
  void closeDeletesTheDataDirectory() {
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start();
    Path dataDir = broker.dataDirectory();
    assertThat(dataDir).isDirectoryContaining(path -> path.getFileName().toString().equals("log"));

    broker.close();

    assertThat(dataDir).doesNotExist();
    assertThatThrownBy(broker::bootstrapServers).isInstanceOf(IllegalStateException.class);
  }

  private static KafkaProducer<String, String> producer(Map<String, Object> extra) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.putAll(extra);
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  /** Reads from the beginning until {@code expected} records arrived or the timeout passed. */
  private static List<ConsumerRecord<String, String>> consumeAll(
      String topic, int expected, String isolationLevel) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + POLL_TIMEOUT.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      // One more poll shows that nothing beyond the expected records (say, aborted ones) arrives.
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }
}
