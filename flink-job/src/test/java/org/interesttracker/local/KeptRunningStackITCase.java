package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.interesttracker.avro.EventType;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.job.JobSettings;
import org.interesttracker.job.Topics;
import org.interesttracker.replay.EventSendListener;
import org.interesttracker.replay.KafkaEventReplayer;
import org.interesttracker.replay.ReplaySettings;
import org.junit.jupiter.api.Test;

/**
 * A stack kept running after its report goes on telling what the job does: an older log replayed
 * into it from elsewhere shows up in the progress lines as the TOO_LATE records it becomes.
 */
class KeptRunningStackITCase {
  private static final long YEAR_2024 = 1_704_067_200_000L;
  private static final long YEAR_1998 = 883_612_800_000L;
  private static final Pattern BROKER = Pattern.compile("Kafka at (\\S+),");

  @Test
  void aReplayIntoTheRunningStackShowsWhatBecameOfItsRecords() throws Exception {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text, true);
    LocalRunConfig config =
        new LocalRunConfig(
            JobSettings.builder().parallelism(1),
            topic -> ReplaySettings.plain(topic, "recent"),
            "recent events",
            WebUi.NONE,
            Duration.ofSeconds(60),
            Duration.ofMillis(200));

    try (LocalRunner runner = new LocalRunner(config, out)) {
      runner.run(() -> events(YEAR_2024, 300).stream());
      runner.keepReporting();
      Matcher broker = BROKER.matcher(text.toString());
      assertThat(broker.find()).isTrue();
      try (KafkaEventReplayer older =
          new KafkaEventReplayer(
              ReplaySettings.plain(Topics.INTERACTIONS, "older"),
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.group(1)),
              EventSendListener.NONE)) {
        older.replay(events(YEAR_1998, 100).iterator());
      }

      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!text.toString().contains("TOO_LATE=100") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(text.toString()).contains("TOO_LATE=100");
    }
  }

  /** {@code count} events of ten users, a minute apart from {@code start}. */
  private static List<EventLogRecord> events(long start, int count) {
    List<EventLogRecord> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(
          new EventLogRecord(
              start + i * 60_000L,
              String.valueOf(i % 10),
              String.valueOf(1 + i % 40),
              "home",
              EventType.VIEW));
    }
    return events;
  }
}
