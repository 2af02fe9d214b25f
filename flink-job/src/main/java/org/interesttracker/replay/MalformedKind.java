package org.interesttracker.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.serde.AvroCodec;

/** The kinds of bad input the replayer injects, each one the job has to route to dead letters. */
public enum MalformedKind {
  /** Bytes that are not Avro single-object encoded at all. */
  UNDECODABLE_BYTES {
    @Override
    byte[] value(InteractionEvent template, AvroCodec<InteractionEvent> codec) {
      return ("not an Avro record: " + template.getEventId()).getBytes(StandardCharsets.UTF_8);
    }
  },
  /** A well-formed event without a user. */
  EMPTY_USER_ID {
    @Override
    byte[] value(InteractionEvent template, AvroCodec<InteractionEvent> codec) {
      return codec.encode(InteractionEvent.newBuilder(template).setUserId("").build());
    }
  },
  /** A well-formed event whose time is implausibly old: a producer with an unset clock. */
  TIMESTAMP_IN_1970 {
    @Override
    byte[] value(InteractionEvent template, AvroCodec<InteractionEvent> codec) {
      return codec.encode(
          InteractionEvent.newBuilder(template)
              .setTimestamp(Duration.ofDays(1).toMillis())
              .build());
    }
  };

  /** The record value, derived from a valid event so it looks like real traffic otherwise. */
  abstract byte[] value(InteractionEvent template, AvroCodec<InteractionEvent> codec);
}
