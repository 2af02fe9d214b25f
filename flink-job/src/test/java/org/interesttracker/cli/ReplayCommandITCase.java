package org.interesttracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.testing.KafkaTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplayCommandITCase extends KafkaTestBase {
  @TempDir Path tempDir;

  @Test
  void replaysAnEventLogFileWithItsRowIndexAsEventId() throws Exception {
    kafka.createTopics(1, "file-replay");
    Path log = tempDir.resolve("events.csv");
    Files.writeString(
        log,
        """
        timestamp_ms,user_id,item_id,scene,event_type
        1700000000000,u1,i1,home,VIEW
        1700000001000,u2,i2,search,CLICK
        1700000002000,u1,i3,shop,PURCHASE
        """);
    StringWriter out = new StringWriter();

    int exitCode =
        InterestTrackerCli.commandLine()
            .setOut(new PrintWriter(out))
            .execute(
                "replay",
                "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic=file-replay",
                "--events=" + log,
                "--event-id-prefix=day1");

    assertThat(exitCode).as("output: %s", out).isZero();
    assertThat(out.toString()).contains("Replayed 3 events to file-replay");
    List<InteractionEvent> events = consume("file-replay", 3);
    assertThat(events)
        .extracting(InteractionEvent::getEventId)
        .containsExactly("day1-0", "day1-1", "day1-2");
    assertThat(events).extracting(InteractionEvent::getItemId).containsExactly("i1", "i2", "i3");
  }

  @Test
  void replaysTheSyntheticGeneratorWhenNoFileIsGiven() throws Exception {
    kafka.createTopics(2, "synthetic-replay");
    StringWriter out = new StringWriter();

    int exitCode =
        InterestTrackerCli.commandLine()
            .setOut(new PrintWriter(out))
            .execute(
                "replay",
                "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic=synthetic-replay",
                "--max-events=500");

    assertThat(exitCode).as("output: %s", out).isZero();
    // The generator stops at the requested count or a little short of it, never beyond.
    Matcher replayed = Pattern.compile("Replayed (\\d+) events").matcher(out.toString());
    assertThat(replayed.find()).as("output: %s", out).isTrue();
    int sent = Integer.parseInt(replayed.group(1));
    assertThat(sent).isBetween(450, 500);
    assertThat(consume("synthetic-replay", sent)).hasSize(sent);
  }

  @Test
  void aDamagedEventLogIsOneErrorLine() throws Exception {
    Path log = tempDir.resolve("damaged.csv");
    Files.writeString(
        log, "timestamp_ms,user_id,item_id,scene,event_type\nyesterday,u1,i1,home,VIEW\n");
    StringWriter err = new StringWriter();
    kafka.createTopics(1, "damaged-log");

    int exitCode =
        InterestTrackerCli.commandLine()
            .setErr(new PrintWriter(err))
            .execute(
                "replay",
                "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic=damaged-log",
                "--events=" + log);

    assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
    assertThat(err.toString().strip())
        .startsWith("error: ")
        .contains("line 2: timestamp_ms is not an integer")
        .doesNotContain("\n");
  }

  private static List<InteractionEvent> consume(String topic, int expected) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    List<InteractionEvent> events = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (events.size() < expected && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          events.add(codec.decode(record.value()));
        }
      }
    }
    return events;
  }
}
