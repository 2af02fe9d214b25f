package org.interesttracker.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.job.InterestTrackerJob;
import org.interesttracker.job.JobSettings;
import org.interesttracker.local.EmbeddedKafkaBroker;
import org.interesttracker.replay.EventSendListener;
import org.interesttracker.replay.KafkaEventReplayer;
import org.interesttracker.replay.ReplaySettings;

/**
 * Events per second through the whole job as it runs in production, all in this process: the events
 * are first written to an embedded Kafka broker, then the job (RocksDB, checkpoints on) reads them,
 * and the rate is measured on its recommendations topic from the first output read to the last, so
 * start-up is not counted.
 */
final class PipelineThroughput {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private PipelineThroughput() {}

  static double eventsPerSecond(List<EventLogRecord> events, JobSettings.Builder job)
      throws Exception {
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start()) {
      JobSettings settings = job.bootstrapServers(broker.bootstrapServers()).build();
      broker.createTopics(
          settings.parallelism(),
          settings.inputTopic(),
          settings.recommendationTopic(),
          settings.profileTopic(),
          settings.deadLetterTopic());
      try (KafkaEventReplayer replayer =
          new KafkaEventReplayer(
              ReplaySettings.plain(settings.inputTopic(), "bench"),
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              EventSendListener.NONE)) {
        replayer.replay(events.iterator());
      }
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
      InterestTrackerJob.configure(env, settings);
      InterestTrackerJob.defineKafkaWorkflow(env, settings);
      JobClient client = env.executeAsync(InterestTrackerJob.JOB_NAME);
      try {
        return outputRate(broker.bootstrapServers(), settings.recommendationTopic(), events.size());
      } finally {
        client.cancel().get();
      }
    }
  }

  private static double outputRate(String bootstrapServers, String topic, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "benchmark-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      long first = 0;
      long last = 0;
      int read = 0;
      int readAtFirst = 0;
      while (read < expected) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + read + " of " + expected + " recommendations within " + TIMEOUT);
        }
        int count = consumer.poll(Duration.ofMillis(100)).count();
        if (count > 0) {
          last = System.nanoTime();
          if (read == 0) {
            first = last;
            readAtFirst = count;
          }
          read += count;
        }
      }
      return (read - readAtFirst) / Math.max(1e-9, (last - first) / 1e9);
    }
  }
}
