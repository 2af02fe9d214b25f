package org.interesttracker.testing;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.SchemaNormalization;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.serde.AvroCodec;

/**
 * Input a careless producer or an attacker sends: every kind of record value the job must refuse
 * without failing, each with the dead-letter reason it must get. Deterministic for a seed.
 */
public final class AdversarialRecords {
  private static final AvroCodec<InteractionEvent> CODEC = AvroCodec.of(InteractionEvent.class);
  private static final long T0 = 1_700_000_000_000L;
  private static final String[] BLANK_IDS = {
    " ", "\u00A0", "\u200B", "\uFEFF", "\u3164", "\u2060\u200D", "\t\n", "\u00A0\u200B\uFEFF "
  };
  private static final String[] IDS_WITH_CONTROLS = {"user\u0000", "a\u0007b", "\u001Bitem"};
  private static final long[] ABSURD_TIMESTAMPS = {
    Long.MIN_VALUE, -1L, 0L, 1000L, Long.MAX_VALUE, T0 + 10L * 365 * 24 * 3_600_000L
  };
  private static final long[] HUGE_LENGTHS = {
    2_147_483_640L, Integer.MAX_VALUE, 1L << 31, 1L << 40, 1_000_000_000L, Long.MAX_VALUE / 2
  };

  /** What is wrong with a record, and so which reason its dead letter must give. */
  public enum Kind {
    RANDOM_BYTES(DeadLetterReason.UNDECODABLE),
    EMPTY(DeadLetterReason.UNDECODABLE),
    NULL_VALUE(DeadLetterReason.UNDECODABLE),
    TRUNCATED(DeadLetterReason.UNDECODABLE),
    VALID_HEADER_RANDOM_BODY(DeadLetterReason.UNDECODABLE),
    HUGE_LENGTH_PREFIX(DeadLetterReason.UNDECODABLE),
    TRAILING_BYTES(DeadLetterReason.UNDECODABLE),
    UNKNOWN_FINGERPRINT(DeadLetterReason.UNDECODABLE),
    BLANK_ID(DeadLetterReason.MISSING_FIELD),
    CONTROL_CHARACTER_IN_ID(DeadLetterReason.INVALID_FIELD),
    VERY_LONG_ID(DeadLetterReason.INVALID_FIELD),
    ABSURD_TIMESTAMP(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE);

    public final DeadLetterReason reason;

    Kind(DeadLetterReason reason) {
      this.reason = reason;
    }
  }

  /** One adversarial record value; null for a Kafka record without a value. */
  public record Record(Kind kind, byte[] value) {}

  private final Random random;

  private AdversarialRecords(long seed) {
    random = new Random(seed);
  }

  /** {@code count} records, the kinds taking turns, each varied at random. */
  public static List<Record> generate(long seed, int count) {
    AdversarialRecords generator = new AdversarialRecords(seed);
    List<Record> records = new ArrayList<>(count);
    Kind[] kinds = Kind.values();
    for (int i = 0; i < count; i++) {
      Kind kind = kinds[i % kinds.length];
      records.add(new Record(kind, generator.value(kind, i)));
    }
    return records;
  }

  private byte[] value(Kind kind, int i) {
    return switch (kind) {
      case RANDOM_BYTES -> randomBytes(1 + random.nextInt(200));
      case EMPTY -> new byte[0];
      case NULL_VALUE -> null;
      case TRUNCATED -> {
        byte[] valid = CODEC.encode(validEvent().build());
        yield Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1));
      }
      case VALID_HEADER_RANDOM_BODY -> concat(header(), randomBytes(random.nextInt(120)));
      case HUGE_LENGTH_PREFIX ->
          concat(
              header(),
              zigZagVarint(HUGE_LENGTHS[random.nextInt(HUGE_LENGTHS.length)]),
              randomBytes(random.nextInt(40)));
      case TRAILING_BYTES ->
          concat(CODEC.encode(validEvent().build()), randomBytes(1 + random.nextInt(8)));
      case UNKNOWN_FINGERPRINT -> {
        byte[] bytes = CODEC.encode(validEvent().build());
        System.arraycopy(randomBytes(8), 0, bytes, 2, 8);
        yield bytes;
      }
      case BLANK_ID -> CODEC.encode(withId(validEvent(), pick(BLANK_IDS)).build());
      case CONTROL_CHARACTER_IN_ID ->
          CODEC.encode(withId(validEvent(), pick(IDS_WITH_CONTROLS)).build());
      // Mostly just over the limit; now and then a string of a few hundred kilobytes.
      case VERY_LONG_ID ->
          CODEC.encode(
              validEvent().setItemId("x".repeat(i % 97 == 0 ? 300_000 : 513 + i % 4000)).build());
      case ABSURD_TIMESTAMP ->
          CODEC.encode(
              validEvent()
                  .setTimestamp(ABSURD_TIMESTAMPS[random.nextInt(ABSURD_TIMESTAMPS.length)])
                  .build());
    };
  }

  private InteractionEvent.Builder validEvent() {
    return InteractionEvent.newBuilder()
        .setEventId("adversarial-" + random.nextLong())
        .setUserId("user-" + random.nextInt(50))
        .setItemId(String.valueOf(1 + random.nextInt(100)))
        .setScene("home")
        .setEventType(EventType.CLICK)
        .setTimestamp(T0 + random.nextInt(3_600_000));
  }

  private InteractionEvent.Builder withId(InteractionEvent.Builder event, String id) {
    return switch (random.nextInt(4)) {
      case 0 -> event.setEventId(id);
      case 1 -> event.setUserId(id);
      case 2 -> event.setItemId(id);
      default -> event.setScene(id);
    };
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** The single-object header of the current InteractionEvent schema. */
  private static byte[] header() {
    long fingerprint = SchemaNormalization.parsingFingerprint64(InteractionEvent.getClassSchema());
    byte[] header = new byte[10];
    header[0] = (byte) 0xC3;
    header[1] = (byte) 0x01;
    for (int b = 0; b < 8; b++) {
      header[2 + b] = (byte) (fingerprint >>> (8 * b));
    }
    return header;
  }

  private static byte[] zigZagVarint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long zigZag = (value << 1) ^ (value >> 63);
    while ((zigZag & ~0x7FL) != 0) {
      out.write((int) ((zigZag & 0x7F) | 0x80));
      zigZag >>>= 7;
    }
    out.write((int) zigZag);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
