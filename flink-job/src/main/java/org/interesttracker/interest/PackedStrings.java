package org.interesttracker.interest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Strings in the packed fields of a user's state ({@link PackedHistory}, {@link
 * PackedRecommendations}): a uint16 length in bytes (big-endian), then the UTF-8 bytes.
 */
final class PackedStrings {
  private static final int MAX_BYTES = 0xFFFF;

  private PackedStrings() {}

  /** The UTF-8 bytes of {@code value}, checked to fit the layout. */
  static byte[] utf8(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > MAX_BYTES) {
      // The job's id rules allow far less; this guards other callers of the step.
      throw new IllegalArgumentException(
          "an id of " + utf8.length + " UTF-8 bytes does not fit the state's packed layout");
    }
    return utf8;
  }

  /** Bytes {@code utf8} takes in the layout. */
  static int size(byte[] utf8) {
    return Short.BYTES + utf8.length;
  }

  static void write(ByteBuffer out, byte[] utf8) {
    out.putShort((short) utf8.length).put(utf8);
  }

  static String read(ByteBuffer in) {
    int length = Short.toUnsignedInt(in.getShort());
    String value;
    if (in.hasArray()) {
      value =
          new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
      in.position(in.position() + length);
    } else {
      byte[] utf8 = new byte[length];
      in.get(utf8);
      value = new String(utf8, StandardCharsets.UTF_8);
    }
    return value;
  }

  static void skip(ByteBuffer in) {
    int length = Short.toUnsignedInt(in.getShort());
    in.position(in.position() + length);
  }
}
