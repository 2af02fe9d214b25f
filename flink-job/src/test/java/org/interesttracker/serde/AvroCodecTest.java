package org.interesttracker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
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
