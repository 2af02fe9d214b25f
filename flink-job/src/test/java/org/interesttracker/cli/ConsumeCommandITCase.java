package org.interesttracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.KafkaTestBase;
import org.interesttracker.testing.OutputRecords;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code consume} against a real broker: every record type as JSON lines, filters and errors. */
class ConsumeCommandITCase extends KafkaTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AvroCodec<Recommendation> RECOMMENDATIONS =
      AvroCodec.of(Recommendation.class);
  private static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.of(DeadLetter.class);

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void printsEachRecommendationAsOneJsonLineWithTheSchemasFieldNames() throws Exception {
    // The default topic name tells the record type: no --type needed.
    kafka.createTopics(1, "recommendations");
    OutputRecords.send(
        kafka.bootstrapServers(),
        "recommendations",
        List.of(
            RECOMMENDATIONS.encode(OutputRecords.recommendation("u1", "e1", "home")),
            RECOMMENDATIONS.encode(OutputRecords.recommendation("u2", "e2", "shop"))));

    int exitCode = run("--topic", "recommendations");

    assertThat(exitCode).as("stderr: %s", err).isZero();
    List<JsonNode> lines = jsonLines();
    assertThat(lines).extracting(line -> line.get("user_id").asText()).containsExactly("u1", "u2");
    JsonNode first = lines.get(0);
    assertThat(fieldNames(first)).isEqualTo(fieldNames(Recommendation.getClassSchema()));
    assertThat(first.get("cold_start").asText()).isEqualTo("NEW_IN_SCENE");
    assertThat(first.at("/items/0/item_id").asText()).isEqualTo("item-9");
    assertThat(first.at("/items/0/score").floatValue()).isEqualTo(2.5f);
    assertThat(first.at("/items/0/reasons/0/scene").asText()).isEqualTo("search");
    assertThat(err.toString()).contains("2 records from recommendations");
  }

  @Test
  void keepsOnlyTheUsersRecordsUpToTheLimit() throws Exception {
    kafka.createTopics(2, "recommendations-by-user");
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      values.add(
          RECOMMENDATIONS.encode(
              OutputRecords.recommendation(i % 2 == 0 ? "u1" : "u2", "e" + i, "home")));
    }
    OutputRecords.send(kafka.bootstrapServers(), "recommendations-by-user", values);

    int exitCode =
        run(
            "--topic", "recommendations-by-user",
            "--type", "recommendation",
            "--user", "u1",
            "--max-records", "2");

    assertThat(exitCode).as("stderr: %s", err).isZero();
    assertThat(jsonLines())
        .hasSize(2)
        .allSatisfy(line -> assertThat(line.get("user_id").asText()).isEqualTo("u1"));
  }

  @Test
  void printsAForgottenUsersTombstoneWithItsKey() throws Exception {
    kafka.createTopics(1, "recommendations-forgotten");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      byte[] key = "u1".getBytes(StandardCharsets.UTF_8);
      producer.send(
          new ProducerRecord<>(
              "recommendations-forgotten",
              key,
              RECOMMENDATIONS.encode(OutputRecords.recommendation("u1", "e1", "home"))));
      producer.send(new ProducerRecord<>("recommendations-forgotten", key, null));
    }

    int exitCode = run("--topic", "recommendations-forgotten", "--type", "recommendation");

    assertThat(exitCode).as("stderr: %s", err).isZero();
    List<JsonNode> lines = jsonLines();
    assertThat(lines.get(0).get("user_id").asText()).isEqualTo("u1");
    assertThat(lines.get(1).toString()).isEqualTo("{\"tombstone\":\"u1\"}");
  }

  @Test
  void showsADeadLettersReasonOriginAndAPrintablePreviewOfItsBytes() throws Exception {
    kafka.createTopics(1, "dead-letters");
    byte[] garbage = "\u00c3\u0001not avro\\\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] late = AvroCodec.of(InteractionEvent.class).encode(InteractionEvents.range(7, 1).get(0));
    byte[] huge = new byte[5_000];
    Arrays.fill(huge, (byte) 'x');
    OutputRecords.send(
        kafka.bootstrapServers(),
        "dead-letters",
        List.of(
            DEAD_LETTERS.encode(
                OutputRecords.deadLetter(garbage, DeadLetterReason.UNDECODABLE, "no header")),
            DEAD_LETTERS.encode(
                OutputRecords.deadLetter(late, DeadLetterReason.TOO_LATE, "late by 2h")),
            DEAD_LETTERS.encode(
                OutputRecords.deadLetter(huge, DeadLetterReason.UNDECODABLE, "too big"))));

    assertThat(run("--topic", "dead-letters")).as("stderr: %s", err).isZero();

    List<JsonNode> lines = jsonLines();
    assertThat(lines).hasSize(3);
    JsonNode undecodable = lines.get(0);
    assertThat(undecodable.get("reason").asText()).isEqualTo("UNDECODABLE");
    assertThat(undecodable.get("error").asText()).isEqualTo("no header");
    assertThat(undecodable.get("source_topic").asText()).isEqualTo("interactions");
    assertThat(undecodable.get("source_partition").asInt()).isEqualTo(1);
    assertThat(undecodable.get("source_offset").asLong()).isEqualTo(42);
    assertThat(undecodable.at("/raw/length").asInt()).isEqualTo(garbage.length);
    assertThat(undecodable.at("/raw/preview").asText()).isEqualTo("\\xc3\\x01not avro\\x5c\\x0a");
    assertThat(lines.get(2).at("/raw/length").asInt()).isEqualTo(5_000);
    assertThat(lines.get(2).at("/raw/preview").asText()).isEqualTo("x".repeat(256) + "...");

    // A dead letter whose bytes are still an event belongs to that event's user.
    String user = InteractionEvents.range(7, 1).get(0).getUserId();
    out.getBuffer().setLength(0);
    assertThat(run("--topic", "dead-letters", "--user", user)).isZero();
    assertThat(jsonLines())
        .extracting(line -> line.get("reason").asText())
        .containsExactly("TOO_LATE");
  }

  @Test
  void readsProfilesAndEventsAndSkipsWhatIsNotTheirType() throws Exception {
    kafka.createTopics(1, "profiles-and-junk", "events-in");
    OutputRecords.send(
        kafka.bootstrapServers(),
        "profiles-and-junk",
        List.of(
            AvroCodec.of(InterestProfile.class).encode(OutputRecords.profile("u1", "e1")),
            "junk".getBytes(StandardCharsets.UTF_8)));
    InteractionEvent event =
        InteractionEvent.newBuilder(InteractionEvents.range(0, 1).get(0))
            .setDwellTimeMs(1_500L)
            .setAttributes(Map.of("device", "phone"))
            .build();
    InteractionEvents.send(kafka.bootstrapServers(), "events-in", List.of(event));

    assertThat(run("--topic", "profiles-and-junk", "--type", "profile")).isZero();
    assertThat(jsonLines())
        .singleElement()
        .satisfies(
            profile -> {
              assertThat(profile.at("/scenes/0/scene").asText()).isEqualTo("home");
              assertThat(profile.at("/scenes/0/strength").asDouble()).isEqualTo(1.5);
            });
    assertThat(err.toString())
        .contains("skipped profiles-and-junk partition 0 offset 1: not a valid Avro")
        .contains("1 records from profiles-and-junk (1 undecodable, skipped)");

    out.getBuffer().setLength(0);
    assertThat(run("--topic", "events-in", "--type", "interaction")).isZero();
    assertThat(jsonLines())
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.get("event_type").asText()).isEqualTo(event.getEventType().name());
              // Optional fields are their value, not Avro's {"long": 1500} union wrapping.
              assertThat(line.get("dwell_time_ms").asLong()).isEqualTo(1_500L);
              assertThat(line.at("/attributes/device").asText()).isEqualTo("phone");
            });
  }

  @Test
  void readsOnlyCommittedRecords() throws Exception {
    kafka.createTopics(1, "transactional");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "consume-test"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(
              "transactional",
              RECOMMENDATIONS.encode(OutputRecords.recommendation("aborted", "e1", "home"))));
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(
              "transactional",
              RECOMMENDATIONS.encode(OutputRecords.recommendation("committed", "e2", "home"))));
      producer.commitTransaction();
    }

    assertThat(run("--topic", "transactional", "--type", "recommendation")).isZero();

    assertThat(jsonLines())
        .extracting(line -> line.get("user_id").asText())
        .containsExactly("committed");
  }

  @Test
  void followsFromTheEndUntilTheLimit() throws Exception {
    kafka.createTopics(1, "followed");
    OutputRecords.send(
        kafka.bootstrapServers(),
        "followed",
        List.of(RECOMMENDATIONS.encode(OutputRecords.recommendation("before", "e1", "home"))));

    CompletableFuture<Integer> consume =
        CompletableFuture.supplyAsync(
            () ->
                run(
                    "--topic",
                    "followed",
                    "--type",
                    "recommendation",
                    "--from",
                    "end",
                    "--follow",
                    "--max-records",
                    "1"));
    // Records keep coming until the consumer, positioned at the end, has read one.
    for (int i = 0; !consume.isDone() && i < 100; i++) {
      OutputRecords.send(
          kafka.bootstrapServers(),
          "followed",
          List.of(RECOMMENDATIONS.encode(OutputRecords.recommendation("after", "e" + i, "home"))));
      TimeUnit.MILLISECONDS.sleep(200);
    }

    assertThat(consume.get(30, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
    assertThat(jsonLines())
        .extracting(line -> line.get("user_id").asText())
        .containsExactly("after");
  }

  @Test
  void anUnknownTopicIsOneErrorLineNamingTheTopic() {
    int exitCode = run("--topic", "absent", "--type", "profile");

    assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
    assertThat(err.toString().strip())
        .startsWith(
            "error: the topic absent does not exist on Kafka at " + kafka.bootstrapServers())
        .doesNotContain("\n");
  }

  @Test
  void anUnreachableBrokerIsOneErrorLineNamingTheServers() {
    int exitCode =
        execute(
            "consume",
            "--bootstrap-servers=127.0.0.1:1",
            "--kafka-check-timeout=1s",
            "--topic=recommendations");

    assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
    assertThat(err.toString().strip())
        .startsWith("error: Kafka at 127.0.0.1:1 did not answer within 1 s")
        .doesNotContain("\n");
  }

  @Test
  void aTopicOfUnknownTypeIsAUsageError() {
    assertThat(run("--topic", "my-recommendations")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString())
        .contains(
            "cannot tell the record type of topic my-recommendations from its name; add --type");
  }

  private int run(String... args) {
    List<String> command =
        new ArrayList<>(List.of("consume", "--bootstrap-servers", kafka.bootstrapServers()));
    command.addAll(List.of(args));
    return execute(command.toArray(String[]::new));
  }

  private int execute(String... args) {
    CommandLine cli = InterestTrackerCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private List<JsonNode> jsonLines() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString().lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> fieldNames(Schema schema) {
    return schema.getFields().stream().map(Schema.Field::name).toList();
  }
}
