package org.interesttracker.consume;

import java.nio.ByteBuffer;

/**
 * Raw bytes as one printable line: printable ASCII stays as it is, every other byte (and the
 * backslash) is written {@code \xNN}, and only the first {@code maxBytes} bytes are shown, so a
 * dead letter's payload can be read on a terminal whatever it holds.
 */
public final class BytePreview {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private BytePreview() {}

  public static String of(ByteBuffer bytes, int maxBytes) {
    ByteBuffer view = bytes.duplicate();
    int shown = Math.min(view.remaining(), maxBytes);
    StringBuilder preview = new StringBuilder(shown * 2);
    for (int i = 0; i < shown; i++) {
      int value = view.get() & 0xFF;
      if (value >= 0x20 && value < 0x7F && value != '\\') {
        preview.append((char) value);
      } else {
        preview.append("\\x").append(HEX[value >> 4]).append(HEX[value & 0xF]);
      }
    }
    if (view.hasRemaining()) {
      preview.append("...");
    }
    return preview.toString();
  }
}
