package org.interesttracker.interest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.state.HistoryEntry;
import org.interesttracker.avro.state.UserInterestState;

/**
 * A user's kept history stored in one bytes field of the state ({@code history_log}) instead of an
 * Avro array of records: decoding 65 records field by field through Avro's resolving reader was
 * most of the time it took to read and write a user's state, and this layout takes a fraction of
 * it. While an event is applied the state holds the history as a list ({@link #unpack}); it is
 * packed again before the state is stored ({@link #pack}). A state in either form is valid, so
 * state written before this layout, with the list filled and no bytes, needs no migration step.
 *
 * <p>Layout (big-endian): entry count (int32), then per entry, oldest first: time in ms (int64),
 * event type (uint8: the symbol's position in {@link EventType}, whose symbols are only ever
 * appended), scene and item id (each a uint16 length in bytes and the UTF-8 bytes).
 */
final class PackedHistory {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final int MAX_STRING_BYTES = 0xFFFF;

  private PackedHistory() {}

  /** Moves a packed history into the state's list, replacing whatever the list held. */
  static void unpack(UserInterestState state) {
    ByteBuffer packed = state.getHistoryLog().duplicate();
    if (!packed.hasRemaining()) {
      return;
    }
    int entries = packed.getInt();
    List<HistoryEntry> history = new ArrayList<>(entries + 1);
    EventType[] types = EventType.values();
    for (int i = 0; i < entries; i++) {
      long time = packed.getLong();
      EventType type = types[Byte.toUnsignedInt(packed.get())];
      String scene = readString(packed);
      String item = readString(packed);
      history.add(new HistoryEntry(item, scene, type, time));
    }
    state.setHistory(history);
    state.setHistoryLog(EMPTY);
  }

  /** Moves the state's history list into its bytes field, leaving the list empty. */
  static void pack(UserInterestState state) {
    List<HistoryEntry> history = state.getHistory();
    List<byte[]> strings = new ArrayList<>(2 * history.size());
    int bytes = Integer.BYTES;
    for (HistoryEntry entry : history) {
      byte[] scene = entry.getScene().getBytes(StandardCharsets.UTF_8);
      byte[] item = entry.getItemId().getBytes(StandardCharsets.UTF_8);
      strings.add(scene);
      strings.add(item);
      bytes += Long.BYTES + 1 + 2 * Short.BYTES + scene.length + item.length;
    }
    ByteBuffer packed = ByteBuffer.allocate(bytes).putInt(history.size());
    for (int i = 0; i < history.size(); i++) {
      HistoryEntry entry = history.get(i);
      packed.putLong(entry.getTimestamp()).put((byte) entry.getEventType().ordinal());
      writeString(packed, strings.get(2 * i));
      writeString(packed, strings.get(2 * i + 1));
    }
    state.setHistoryLog(packed.flip());
    state.setHistory(new ArrayList<>());
  }

  private static String readString(ByteBuffer in) {
    byte[] utf8 = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static void writeString(ByteBuffer out, byte[] utf8) {
    if (utf8.length > MAX_STRING_BYTES) {
      // The job's id rules allow far less; this guards other callers of the step.
      throw new IllegalArgumentException(
          "an id of " + utf8.length + " UTF-8 bytes does not fit the history's layout");
    }
    out.putShort((short) utf8.length).put(utf8);
  }
}
