package org.interesttracker.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.interesttracker.avro.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {

  private static final String HEADER = "timestamp_ms,user_id,item_id,scene,event_type\n";

  private static EventLogRecord event(long timestampMs, String user, String item) {
    return new EventLogRecord(timestampMs, user, item, "home", EventType.VIEW);
  }

  private static List<EventLogRecord> readAll(String csv) {
    List<EventLogRecord> records = new ArrayList<>();
    new EventLogReader(new StringReader(csv), "test.csv").forEachRemaining(records::add);
    return records;
  }

  @Test
  void roundTripsThroughAFile(@TempDir Path dir) throws IOException {
    List<EventLogRecord> records =
        List.of(
            new EventLogRecord(1_000L, "2", "10", "home", EventType.VIEW),
            new EventLogRecord(1_000L, "2", "11", "search", EventType.CLICK),
            new EventLogRecord(2_500L, "alice", "book-1", "shop", EventType.PURCHASE));
    Path file = dir.resolve("nested/events.csv");

    long written = EventLogWriter.writeAll(file, records.iterator());

    assertThat(written).isEqualTo(3);
    assertThat(Files.readString(file))
        .isEqualTo(
            HEADER
                + "1000,2,10,home,VIEW\n1000,2,11,search,CLICK\n2500,alice,book-1,shop,PURCHASE\n");
    try (Stream<EventLogRecord> read = EventLogReader.stream(file)) {
      assertThat(read).containsExactlyElementsOf(records);
    }
  }

  @Test
  void fingerprintsRecordsAsTheSha256OfTheFileTheyMake(@TempDir Path dir) throws Exception {
    List<EventLogRecord> records =
        List.of(event(1_000L, "2", "10"), event(2_000L, "alice", "book-1"));
    Path file = dir.resolve("events.csv");
    EventLogWriter.writeAll(file, records.iterator());

    String fingerprint = EventLogFingerprint.sha256(records.iterator());

    assertThat(fingerprint)
        .isEqualTo(
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))))
        .isNotEqualTo(EventLogFingerprint.sha256(records.subList(0, 1).iterator()));
  }

  @Test
  void ordersTiesByUserThenItemNumericallyThenAsStrings() {
    List<EventLogRecord> shuffled =
        new ArrayList<>(
            List.of(
                event(5, "b", "1"),
                event(5, "10", "2"),
                event(5, "9", "10"),
                event(5, "9", "9"),
                event(5, "a", "1"),
                event(5, "9", "x"),
                event(4, "zz", "1"),
                event(5, "10", "11")));

    shuffled.sort(EventLogOrder.RECORDS);

    assertThat(shuffled)
        .containsExactly(
            event(4, "zz", "1"),
            event(5, "9", "9"),
            event(5, "9", "10"),
            event(5, "9", "x"),
            event(5, "10", "2"),
            event(5, "10", "11"),
            event(5, "a", "1"),
            event(5, "b", "1"));
  }

  @Test
  void comparesLongNumericIdsWithoutOverflowAndLeadingZerosConsistently() {
    assertThat(EventLogOrder.compareIds("99999999999999999999", "100000000000000000000"))
        .isNegative();
    assertThat(EventLogOrder.compareIds("007", "8")).isNegative();
    assertThat(EventLogOrder.compareIds("007", "7")).isNotZero();
    assertThat(EventLogOrder.compareIds("12", "12")).isZero();
  }

  @Test
  void rejectsAWrongHeader() {
    assertThatThrownBy(() -> readAll("time,user,item,scene,type\n1,2,3,home,VIEW\n"))
        .isInstanceOf(EventLogFormatException.class)
        .hasMessageContaining("test.csv line 1")
        .hasMessageContaining("expected the header");
    assertThatThrownBy(() -> readAll(""))
        .isInstanceOf(EventLogFormatException.class)
        .hasMessageContaining("an empty file");
  }

  @Test
  void reportsTheLineOfAMalformedRow() {
    String csv = HEADER + "1,2,3,home,VIEW\n2,2,3,home\n";
    assertThatThrownBy(() -> readAll(csv))
        .isInstanceOf(EventLogFormatException.class)
        .hasMessageContaining("test.csv line 3: expected 5 fields but found 4");
    assertThatThrownBy(() -> readAll(HEADER + "soon,2,3,home,VIEW\n"))
        .hasMessageContaining("line 2: timestamp_ms is not an integer");
    assertThatThrownBy(() -> readAll(HEADER + "1,2,3,home,SHARE\n"))
        .hasMessageContaining("line 2: unknown event_type \"SHARE\"");
    assertThatThrownBy(() -> readAll(HEADER + "1,,3,home,VIEW\n"))
        .hasMessageContaining("line 2: user_id is empty");
  }

  @Test
  void reportsWhereTheFileIsNotSorted() {
    String csv = HEADER + "1,2,3,home,VIEW\n5,2,3,home,VIEW\n5,10,3,home,VIEW\n5,9,3,home,VIEW\n";
    assertThatThrownBy(() -> readAll(csv))
        .isInstanceOf(EventLogFormatException.class)
        .hasMessageContaining("test.csv line 5: the file is not sorted")
        .hasMessageContaining("(line 4)");
  }

  @Test
  void writerRejectsFieldsThatWouldBreakTheFormat() {
    EventLogWriter writer = new EventLogWriter(new StringWriter());
    assertThatThrownBy(
            () -> writer.write(new EventLogRecord(1, "1", "2", "home,feed", EventType.VIEW)))
        .isInstanceOf(EventLogFormatException.class)
        .hasMessageContaining("scene must not contain a comma or line break");
    assertThatThrownBy(
            () -> writer.write(new EventLogRecord(1, "1\n2", "2", "home", EventType.VIEW)))
        .hasMessageContaining("user_id must not contain");
    assertThatThrownBy(() -> writer.write(new EventLogRecord(1, "1", "", "home", EventType.VIEW)))
        .hasMessageContaining("item_id is empty");
  }

  @Test
  void writerRejectsRecordsOutOfOrder() {
    StringWriter out = new StringWriter();
    EventLogWriter writer = new EventLogWriter(out);
    writer.write(event(5, "10", "1"));

    assertThatThrownBy(() -> writer.write(event(5, "9", "1")))
        .isInstanceOf(EventLogFormatException.class)
        .hasMessageContaining("must be written in event-log order");
    assertThat(out).hasToString(HEADER + "5,10,1,home,VIEW\n");
  }
}
