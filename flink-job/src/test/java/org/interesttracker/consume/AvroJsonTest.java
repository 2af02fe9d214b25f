package org.interesttracker.consume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.OutputRecords;
import org.junit.jupiter.api.Test;

class AvroJsonTest {
  private final AvroJson json = new AvroJson(8);

  @Test
  void optionalFieldsAreTheirValueOrNullAndMapsAreObjects() {
    JsonNode absent = json.of(InteractionEvents.range(0, 1).get(0));
    JsonNode present =
        json.of(
            InteractionEvent.newBuilder(InteractionEvents.range(0, 1).get(0))
                .setDwellTimeMs(250L)
                .setAttributes(Map.of("device", "phone"))
                .build());

    assertThat(absent.get("dwell_time_ms").isNull()).isTrue();
    assertThat(absent.get("attributes").isNull()).isTrue();
    assertThat(present.get("dwell_time_ms").asLong()).isEqualTo(250L);
    assertThat(present.at("/attributes/device").asText()).isEqualTo("phone");
  }

  @Test
  void bytesAreTheirLengthAndAnEscapedCappedPreview() {
    byte[] raw = "a\\b\u0000\u00ffcdefgh".getBytes(StandardCharsets.ISO_8859_1);

    JsonNode letter = json.of(OutputRecords.deadLetter(raw, DeadLetterReason.OTHER, "why"));

    assertThat(letter.at("/raw/length").asInt()).isEqualTo(raw.length);
    assertThat(letter.at("/raw/preview").asText()).isEqualTo("a\\x5cb\\x00\\xffcde...");
  }

  @Test
  void aPreviewLeavesTheBufferWhereItWas() {
    ByteBuffer bytes = ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII));

    assertThat(BytePreview.of(bytes, 8)).isEqualTo("abc");
    assertThat(bytes.remaining()).isEqualTo(3);
  }
}
