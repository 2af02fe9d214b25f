package org.interesttracker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.interesttracker.consume.AvroJson;
import org.interesttracker.consume.ReadFrom;
import org.interesttracker.consume.RecordKind;
import org.interesttracker.consume.TopicReader;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serde.RecordDecodingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code consume}: prints the records of one of the project's topics as JSON lines. */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a topic of the job (recommendations, interest-profiles, dead-letters, interactions)"
          + " and prints each record as one JSON line, field names as in schemas/*.avsc.",
      "Stops at the end the topic had when the read started, unless --follow. Reads committed"
          + " records only (isolation.level in --kafka-properties overrides that). Records that"
          + " cannot be decoded are reported on stderr and skipped.",
      "  java -jar interest-tracker.jar consume --bootstrap-servers localhost:9094 \\",
      "      --topic recommendations --user 42 --max-records 5"
    })
final class ConsumeCommand implements Callable<Integer> {
  // Enough to recognise a payload (a header, the first fields) without flooding the terminal.
  private static final int PREVIEW_BYTES = 256;

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--topic",
      paramLabel = "NAME",
      description =
          "Topic to read (default: the default topic of --type). The record type of the default"
              + " topic names is known; other names need --type.")
  String topic;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = RecordKindConverter.class,
      description = "Record type on the topic: recommendation, profile, dead-letter, interaction.")
  RecordKind kind;

  @Option(
      names = "--from",
      paramLabel = "beginning|end",
      converter = ReadFromConverter.class,
      description = "Where to start in each partition (default: beginning); end needs --follow.")
  ReadFrom from = ReadFrom.BEGINNING;

  @Option(names = "--follow", description = "Keep reading new records until Ctrl-C.")
  boolean follow;

  @Option(
      names = "--max-records",
      paramLabel = "N",
      description = "Stop after printing N records (default: no limit).")
  Long maxRecords;

  @Option(
      names = "--user",
      paramLabel = "ID",
      description =
          "Only records about this user; a dead letter matches when its raw bytes are an event"
              + " of the user.")
  String user;

  @Override
  public Integer call() throws Exception {
    RecordKind recordKind = recordKind();
    String topicName = topic != null ? topic : recordKind.defaultTopic();
    if (from == ReadFrom.END && !follow) {
      throw new IllegalArgumentException("--from end reads nothing without --follow");
    }
    if (maxRecords != null && maxRecords < 1) {
      throw new IllegalArgumentException("--max-records must be at least 1, got " + maxRecords);
    }
    kafka.requireTopic(topicName);
    Printer printer = new Printer(recordKind, spec.commandLine());
    try (TopicReader reader = new TopicReader(kafka.clientConfig())) {
      reader.read(topicName, from, follow, printer::print);
    }
    spec.commandLine()
        .getErr()
        .printf(
            "%d records from %s (%d undecodable, skipped)%n",
            printer.printed, topicName, printer.undecodable);
    return CommandLine.ExitCode.OK;
  }

  private RecordKind recordKind() {
    if (kind != null) {
      return kind;
    }
    if (topic == null) {
      throw new IllegalArgumentException("give --topic, --type or both");
    }
    return RecordKind.ofDefaultTopic(topic)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "cannot tell the record type of topic "
                        + topic
                        + " from its name; add --type ("
                        + RecordKind.cliNames()
                        + ")"));
  }

  /** Decodes, filters and prints records, counting what it printed and what it could not read. */
  private static final ObjectMapper TOMBSTONE = new ObjectMapper();

  private final class Printer {
    private final RecordKind recordKind;
    private final AvroCodec<? extends SpecificRecord> codec;
    private final AvroJson json = new AvroJson(PREVIEW_BYTES);
    private final PrintWriter out;
    private final PrintWriter err;
    private long printed;
    private long undecodable;

    Printer(RecordKind recordKind, CommandLine commandLine) {
      this.recordKind = recordKind;
      this.codec = recordKind.codec();
      this.out = commandLine.getOut();
      this.err = commandLine.getErr();
    }

    boolean print(ConsumerRecord<byte[], byte[]> record) {
      if (record.value() == null) {
        return printTombstone(record);
      }
      SpecificRecord value;
      try {
        value = codec.decode(record.value());
      } catch (RecordDecodingException e) {
        undecodable++;
        err.printf(
            "skipped %s partition %d offset %d: %s%n",
            record.topic(), record.partition(), record.offset(), e.getMessage());
        return true;
      }
      if (user != null && !recordKind.userOf(value).equals(Optional.of(user))) {
        return true;
      }
      out.println(json.of(value).toString()); // compact JSON, one line
      // Each line as it comes: a reader at the other end of a pipe sees records while following.
      out.flush();
      printed++;
      return maxRecords == null || printed < maxRecords;
    }

    /**
     * A null value is a tombstone: the job forgot the user of its key, and a consumer keeping
     * records per user should drop theirs. Printed as {@code {"tombstone": KEY}}.
     */
    private boolean printTombstone(ConsumerRecord<byte[], byte[]> record) {
      String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
      if (user != null && !user.equals(key)) {
        return true;
      }
      out.println(TOMBSTONE.createObjectNode().put("tombstone", key).toString());
      out.flush();
      printed++;
      return maxRecords == null || printed < maxRecords;
    }
  }

  static final class RecordKindConverter implements CommandLine.ITypeConverter<RecordKind> {
    @Override
    public RecordKind convert(String value) {
      try {
        return RecordKind.named(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  static final class ReadFromConverter implements CommandLine.ITypeConverter<ReadFrom> {
    @Override
    public ReadFrom convert(String value) {
      try {
        return ReadFrom.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a start position; use beginning or end");
      }
    }
  }
}
