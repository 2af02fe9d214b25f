package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
  private static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
  private final EventValidator validator =
      new EventValidator(Instant.parse("1995-01-01T00:00:00Z"), Duration.ofHours(1));

  @Test
  void acceptsAWellFormedEventEvenInANewSceneWithAnUnknownType() {
    InteractionEvent event =
        valid().setScene("launched-today").setEventType(EventType.UNKNOWN).build();

    assertThat(validator.check(event, NOW)).isEmpty();
  }

  @Test
  void refusesMissingOrBlankIdsAndScene() {
    assertThat(validator.check(valid().setUserId(" ").build(), NOW))
        .hasValueSatisfying(r -> assertRejected(r, DeadLetterReason.MISSING_FIELD, "user_id"));
    assertThat(validator.check(valid().setEventId("").build(), NOW))
        .hasValueSatisfying(r -> assertRejected(r, DeadLetterReason.MISSING_FIELD, "event_id"));
    assertThat(validator.check(valid().setItemId("").build(), NOW))
        .hasValueSatisfying(r -> assertRejected(r, DeadLetterReason.MISSING_FIELD, "item_id"));
    assertThat(validator.check(valid().setScene("").build(), NOW))
        .hasValueSatisfying(r -> assertRejected(r, DeadLetterReason.MISSING_FIELD, "scene"));
  }

  @Test
  void treatsIdsThatLookEmptyToAPersonAsMissing() {
    for (String blank :
        new String[] {"\u00A0", "\u200B", "\uFEFF", "\u3164", "\u2060", "\u00A0\u200B \uFEFF"}) {
      assertThat(validator.check(valid().setUserId(blank).build(), NOW))
          .as("U+%04X", (int) blank.charAt(0))
          .hasValueSatisfying(r -> assertRejected(r, DeadLetterReason.MISSING_FIELD, "user_id"));
    }
  }

  @Test
  void refusesIdsWithControlCharactersOrOverTheLengthLimit() {
    assertThat(validator.check(valid().setItemId("a\u0000b").build(), NOW))
        .hasValueSatisfying(r -> assertRejected(r, DeadLetterReason.INVALID_FIELD, "U+0000"));
    assertThat(validator.check(valid().setEventId("e".repeat(IdRules.MAX_LENGTH + 1)).build(), NOW))
        .hasValueSatisfying(r -> assertRejected(r, DeadLetterReason.INVALID_FIELD, "event_id"));
    assertThat(validator.check(valid().setEventId("e".repeat(IdRules.MAX_LENGTH)).build(), NOW))
        .isEmpty();
  }

  @Test
  void acceptsAnyVisibleUnicodeIdAsSent() {
    assertThat(validator.check(valid().setUserId(" 用户-42 ").setItemId("🎬").build(), NOW))
        .isEmpty();
  }

  @Test
  void refusesTimestampsAbsurdlyFarInThePastOrFuture() {
    assertThat(validator.check(valid().setTimestamp(0L).build(), NOW))
        .hasValueSatisfying(
            r -> assertRejected(r, DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, "before"));
    assertThat(
            validator.check(
                valid().setTimestamp(NOW + Duration.ofHours(2).toMillis()).build(), NOW))
        .hasValueSatisfying(
            r -> assertRejected(r, DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, "ahead"));
    assertThat(
            validator.check(
                valid().setTimestamp(NOW + Duration.ofMinutes(59).toMillis()).build(), NOW))
        .isEmpty();
  }

  private static void assertRejected(
      EventValidator.Rejection rejection, DeadLetterReason reason, String messagePart) {
    assertThat(rejection.reason()).isEqualTo(reason);
    assertThat(rejection.message()).contains(messagePart);
  }

  private static InteractionEvent.Builder valid() {
    return InteractionEvent.newBuilder()
        .setEventId("e")
        .setUserId("u")
        .setItemId("i")
        .setScene("home")
        .setEventType(EventType.VIEW)
        .setTimestamp(NOW - 1000);
  }
}
