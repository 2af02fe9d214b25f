package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.interest.SceneHalfLives;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.testing.AdversarialRecords;
import org.junit.jupiter.api.Test;

class DecodeAndValidateTest {
  private static final AvroCodec<InteractionEvent> CODEC = AvroCodec.of(InteractionEvent.class);
  private static final long RECENT = System.currentTimeMillis() - 60_000L;

  @Test
  void passesValidEventsWithTheirOriginAndDeadLettersTheRest() throws Exception {
    OneInputStreamOperatorTestHarness<RawRecord, SourcedEvent> harness =
        harness(validator(), FailureLimit.DEFAULT);

    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    harness.processElement(raw(CODEC.encode(event("ok", "u1", RECENT)), 0), 0);
    harness.processElement(raw(garbage, 1), 0);
    harness.processElement(raw(null, 2), 0);
    harness.processElement(raw(CODEC.encode(event("no-user", "", RECENT)), 3), 0);
    harness.processElement(raw(CODEC.encode(event("old", "u1", 1000L)), 4), 0);

    List<SourcedEvent> accepted = harness.extractOutputValues();
    assertThat(accepted).hasSize(1);
    assertThat(accepted.get(0).event.getEventId()).isEqualTo("ok");
    assertThat(accepted.get(0).offset).isZero();

    List<DeadLetter> letters = deadLetters(harness);
    assertThat(letters)
        .extracting(DeadLetter::getReason)
        .containsExactly(
            DeadLetterReason.UNDECODABLE,
            DeadLetterReason.UNDECODABLE,
            DeadLetterReason.MISSING_FIELD,
            DeadLetterReason.TIMESTAMP_OUT_OF_RANGE);
    assertThat(letters).extracting(DeadLetter::getSourceOffset).containsExactly(1L, 2L, 3L, 4L);
    assertThat(letters.get(0).getRaw().array()).isEqualTo(garbage);
    assertThat(letters.get(0).getSourceTopic()).isEqualTo("interactions");
    assertThat(letters.get(2).getError()).isEqualTo("user_id is missing or blank");
    harness.close();
  }

  @Test
  void deadLettersEveryAdversarialRecordWithItsReasonAndNeverThrows() throws Exception {
    OneInputStreamOperatorTestHarness<RawRecord, SourcedEvent> harness =
        harness(validator(), FailureLimit.DEFAULT);
    List<AdversarialRecords.Record> records = AdversarialRecords.generate(7L, 12_000);

    for (int i = 0; i < records.size(); i++) {
      harness.processElement(raw(records.get(i).value(), i), 0);
    }

    assertThat(harness.extractOutputValues()).isEmpty();
    List<DeadLetter> letters = deadLetters(harness);
    assertThat(letters).hasSize(records.size());
    for (int i = 0; i < records.size(); i++) {
      AdversarialRecords.Record record = records.get(i);
      assertThat(letters.get(i).getReason())
          .as("%s", record.kind())
          .isEqualTo(record.kind().reason);
      assertThat(letters.get(i).getError()).isNotBlank();
    }
    harness.close();
  }

  @Test
  void anUnexpectedErrorDeadLettersTheRecordUntilTheFailureLimitFailsTheJob() throws Exception {
    // A validator without its bounds throws on every record: a bug, not bad input.
    EventValidator broken = new EventValidator(null, Duration.ofHours(1));
    OneInputStreamOperatorTestHarness<RawRecord, SourcedEvent> harness =
        harness(broken, new FailureLimit(0.5, 3));
    byte[] valid = CODEC.encode(event("ok", "u1", RECENT));

    harness.processElement(raw(valid, 0), 0);
    harness.processElement(raw(valid, 1), 0);

    assertThat(deadLetters(harness))
        .extracting(DeadLetter::getReason)
        .containsExactly(DeadLetterReason.PROCESSING_FAILED, DeadLetterReason.PROCESSING_FAILED);
    assertThat(deadLetters(harness).get(0).getError()).contains("NullPointerException");
    assertThatThrownBy(() -> harness.processElement(raw(valid, 2), 0))
        .isInstanceOf(ProcessingFailures.FailureLimitExceededException.class)
        .hasMessageContaining("3 of 3 records failed within a minute");
    harness.close();
  }

  private static EventValidator validator() {
    return new EventValidator(Instant.parse("1995-01-01T00:00:00Z"), Duration.ofHours(1));
  }

  private static OneInputStreamOperatorTestHarness<RawRecord, SourcedEvent> harness(
      EventValidator validator, FailureLimit limit) throws Exception {
    return ProcessFunctionTestHarnesses.forProcessFunction(
        new DecodeAndValidate(
            CODEC, validator, new SceneHalfLives(Duration.ofDays(1), Map.of()), limit));
  }

  private static List<DeadLetter> deadLetters(
      OneInputStreamOperatorTestHarness<RawRecord, SourcedEvent> harness) {
    return harness.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
  }

  private static RawRecord raw(byte[] value, long offset) {
    return new RawRecord(value, "interactions", 0, offset);
  }

  private static InteractionEvent event(String id, String user, long time) {
    return InteractionEvent.newBuilder()
        .setEventId(id)
        .setUserId(user)
        .setItemId("i")
        .setScene("home")
        .setEventType(EventType.VIEW)
        .setTimestamp(time)
        .build();
  }
}
