package org.interesttracker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.testing.OutputRecords;
import org.junit.jupiter.api.Test;

class AvroCodecTest {
  private static final InteractionEvent CLICK =
      InteractionEvent.newBuilder()
          .setEventId("e-1")
          .setUserId("u-1")
          .setItemId("i-1")
          .setScene("search")
          .setEventType(EventType.CLICK)
          .setTimestamp(1_700_000_000_000L)
          .setDwellTimeMs(1500L)
          .setAttributes(Map.of("query", "ai books"))
          .build();

  /** The current schema without its last field: what a producer built before it was added. */
  private static final Schema WITHOUT_ATTRIBUTES =
      SchemaBuilder.record("InteractionEvent")
          .namespace("org.interesttracker.avro")
          .fields()
          .requiredString("event_id")
          .requiredString("user_id")
          .requiredString("item_id")
          .requiredString("scene")
          .name("event_type")
          .type(InteractionEvent.getClassSchema().getField("event_type").schema())
          .noDefault()
          .requiredLong("timestamp")
          .optionalLong("dwell_time_ms")
          .endRecord();

  @Test
  void roundTripsARecord() throws Exception {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);

    assertThat(codec.decode(codec.encode(CLICK))).isEqualTo(CLICK);
  }

  @Test
  void writesWhatAvrosOwnSingleObjectEncoderWrites() throws Exception {
    Recommendation recommendation = OutputRecords.recommendation("u1", "e1", "home");
    InterestProfile profile = OutputRecords.profile("u1", "e1");

    assertThat(AvroCodec.of(Recommendation.class).encode(recommendation))
        .isEqualTo(Recommendation.getEncoder().encode(recommendation).array());
    assertThat(AvroCodec.of(InterestProfile.class).encode(profile))
        .isEqualTo(InterestProfile.getEncoder().encode(profile).array());
  }

  @Test
  void aRecordThatCannotBeEncodedLeavesNothingBehindForTheNext() throws Exception {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    InteractionEvent withoutScene = InteractionEvent.newBuilder(CLICK).build();
    withoutScene.setScene(null);

    assertThatThrownBy(() -> codec.encode(withoutScene)).isInstanceOf(RuntimeException.class);
    assertThat(codec.encode(CLICK)).isEqualTo(InteractionEvent.getEncoder().encode(CLICK).array());
  }

  @Test
  void writesTheSingleObjectHeader() {
    byte[] bytes = AvroCodec.of(InteractionEvent.class).encode(CLICK);

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
  }

  @Test
  void readsARecordWrittenWithAnOlderSchemaVersion() throws Exception {
    byte[] oldBytes = encodeWithOldSchema();

    InteractionEvent read =
        AvroCodec.of(InteractionEvent.class, List.of(WITHOUT_ATTRIBUTES)).decode(oldBytes);

    assertThat(read.getEventId()).isEqualTo("e-old");
    assertThat(read.getEventType()).isEqualTo(EventType.LIKE);
    assertThat(read.getAttributes()).isNull();
  }

  @Test
  void rejectsAnUnknownSchemaWithAClearError() throws Exception {
    byte[] oldBytes = encodeWithOldSchema();

    assertThatThrownBy(() -> AvroCodec.of(InteractionEvent.class).decode(oldBytes))
        .isInstanceOf(RecordDecodingException.class)
        .hasMessageContaining("unknown writer schema for InteractionEvent")
        .hasMessageContaining("knows fingerprints");
  }

  @Test
  void rejectsBytesThatAreNotAvro() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);

    assertThatThrownBy(() -> codec.decode("{\"user\":1}".getBytes()))
        .isInstanceOf(RecordDecodingException.class)
        .hasMessageContaining("not a valid Avro single-object encoded InteractionEvent");
    assertThatThrownBy(() -> codec.decode(new byte[0]))
        .isInstanceOf(RecordDecodingException.class)
        .hasMessage("empty record value");
  }

  @Test
  void rejectsATruncatedBody() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    byte[] bytes = codec.encode(CLICK);
    byte[] truncated = Arrays.copyOf(bytes, 14);

    assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(RecordDecodingException.class);
  }

  @Test
  void rejectsALengthPrefixLargerThanTheRecordBeforeAllocating() throws Exception {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    byte[] header = Arrays.copyOf(codec.encode(CLICK), 10);
    // A string length of 2,147,483,640 bytes, more than Avro's own limit, then three bytes.
    byte[] hugeString = {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 'a', 'b', 'c'};

    assertThatThrownBy(() -> codec.decode(concat(header, hugeString)))
        .isInstanceOf(RecordDecodingException.class)
        .hasMessageContaining("string declares 2147483640 bytes but 3 are left");
  }

  @Test
  void rejectsBytesAfterTheRecord() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);

    assertThatThrownBy(() -> codec.decode(concat(codec.encode(CLICK), new byte[] {0, 1})))
        .isInstanceOf(RecordDecodingException.class)
        .hasMessageContaining("2 bytes trail the record");
  }

  @Test
  void readsANewerWriterWithOneMoreFieldAndOneMoreEventTypeGivenItsSchema() throws Exception {
    Schema newer = newerSchema();
    GenericRecord record = new GenericData.Record(newer);
    record.put("event_id", "e-new");
    record.put("user_id", "u-1");
    record.put("item_id", "i-1");
    record.put("scene", "home");
    record.put(
        "event_type", new GenericData.EnumSymbol(newer.getField("event_type").schema(), "SHARE"));
    record.put("timestamp", 1_700_000_000_000L);
    record.put("device", "tv");
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), newer).encode(record).array();

    assertThatThrownBy(() -> AvroCodec.of(InteractionEvent.class).decode(bytes))
        .hasMessageContaining("unknown writer schema");
    InteractionEvent read = AvroCodec.of(InteractionEvent.class, List.of(newer)).decode(bytes);

    assertThat(read.getEventId()).isEqualTo("e-new");
    assertThat(read.getEventType()).isEqualTo(EventType.UNKNOWN);
    assertThat(read.getTimestamp()).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void refusesAWriterSchemaItCannotReadAtStartUp() {
    Schema renamedField =
        SchemaBuilder.record("InteractionEvent")
            .namespace("org.interesttracker.avro")
            .fields()
            .requiredString("id")
            .endRecord();

    assertThatThrownBy(() -> AvroCodec.of(InteractionEvent.class, List.of(renamedField)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read as the current version");
  }

  @Test
  void theCurrentSchemaOfEveryTopicIsItsLatestRelease() {
    for (Schema current :
        List.of(
            InteractionEvent.getClassSchema(),
            Recommendation.getClassSchema(),
            InterestProfile.getClassSchema(),
            DeadLetter.getClassSchema())) {
      List<Schema> releases = ReleasedSchemas.of(current);
      assertThat(releases).as(current.getName()).isNotEmpty();
      assertThat(SchemaNormalization.parsingFingerprint64(releases.get(releases.size() - 1)))
          .as("%s changed: add it to schemas/releases", current.getName())
          .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
    }
  }

  @Test
  void readsEveryReleasedVersionOfTheDeadLetter() throws Exception {
    Schema first = ReleasedSchemas.of(DeadLetter.getClassSchema()).get(0);
    GenericRecord letter = new GenericData.Record(first);
    letter.put("raw", ByteBuffer.wrap(new byte[] {1}));
    letter.put("source_topic", "interactions");
    letter.put("source_partition", 0);
    letter.put("source_offset", 5L);
    letter.put("reason", new GenericData.EnumSymbol(first.getField("reason").schema(), "TOO_LATE"));
    letter.put("error", "late");
    letter.put("dead_letter_time", 1L);
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), first).encode(letter).array();

    assertThat(AvroCodec.of(DeadLetter.class).decode(bytes).getReason())
        .isEqualTo(DeadLetterReason.TOO_LATE);
  }

  /** The current schema plus a field and an event type a later producer might add. */
  private static Schema newerSchema() {
    String json =
        InteractionEvent.getClassSchema()
            .toString()
            .replace("\"PURCHASE\"]", "\"PURCHASE\",\"SHARE\"]")
            .replace(
                "\"default\":null}]}",
                "\"default\":null},{\"name\":\"device\",\"type\":\"string\",\"default\":\"\"}]}");
    Schema newer = new Schema.Parser().parse(json);
    assertThat(newer.getFields()).hasSize(InteractionEvent.getClassSchema().getFields().size() + 1);
    return newer;
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static byte[] encodeWithOldSchema() throws Exception {
    GenericRecord old = new GenericData.Record(WITHOUT_ATTRIBUTES);
    old.put("event_id", "e-old");
    old.put("user_id", "u-1");
    old.put("item_id", "i-9");
    old.put("scene", "home");
    old.put(
        "event_type",
        new GenericData.EnumSymbol(WITHOUT_ATTRIBUTES.getField("event_type").schema(), "LIKE"));
    old.put("timestamp", 1_600_000_000_000L);
    return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), WITHOUT_ATTRIBUTES)
        .encode(old)
        .array();
  }
}
