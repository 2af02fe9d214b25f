package org.interesttracker.interest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.state.HistoryEntry;
import org.interesttracker.avro.state.UserInterestState;

/**
 * A user's kept history stored in one bytes field of the state ({@code history_log}) instead of an
 * Avro array of records: decoding 65 records field by field through Avro's resolving reader was
 * most of the time it took to read and write a user's state, and this layout takes a fraction of
 * it. While an event is applied the state holds the history as a list ({@link #unpack}); it is
 * packed again before the state is stored ({@link #pack}), mostly by copying the bytes it was read
 * from. A state in either form is valid, so state written before this layout, with the list filled
 * and no bytes, needs no migration step.
 *
 * <p>Layout (big-endian): entry count (int32), then per entry, oldest first: time in ms (int64),
 * event type (uint8: the symbol's position in {@link EventType}, whose symbols are only ever
 * appended), scene and item id (each a uint16 length in bytes and the UTF-8 bytes).
 */
final class PackedHistory {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final PackedHistory NOTHING_UNPACKED =
      new PackedHistory(EMPTY, new HistoryEntry[0], new int[] {Integer.BYTES});

  /** The bytes the entries were read from. */
  private final ByteBuffer source;

  /** The entries as read, oldest first. */
  private final HistoryEntry[] entries;

  /**
   * Where in {@link #source} entry {@code i} starts ({@code starts[i]}) and ends ({@code starts[i +
   * 1]}).
   */
  private final int[] starts;

  private PackedHistory(ByteBuffer source, HistoryEntry[] entries, int[] starts) {
    this.source = source;
    this.entries = entries;
    this.starts = starts;
  }

  /**
   * Moves a packed history into the state's list, replacing whatever the list held; the result
   * packs the list again when the event is done.
   */
  static PackedHistory unpack(UserInterestState state) {
    ByteBuffer packed = state.getHistoryLog().duplicate();
    if (!packed.hasRemaining()) {
      return NOTHING_UNPACKED;
    }
    ByteBuffer source = packed.slice();
    int count = source.getInt();
    HistoryEntry[] entries = new HistoryEntry[count];
    int[] starts = new int[count + 1];
    EventType[] types = EventType.values();
    for (int i = 0; i < count; i++) {
      starts[i] = source.position();
      long time = source.getLong();
      EventType type = types[Byte.toUnsignedInt(source.get())];
      String scene = PackedStrings.read(source);
      String item = PackedStrings.read(source);
      entries[i] = new HistoryEntry(item, scene, type, time);
    }
    starts[count] = source.position();
    state.setHistory(new ArrayList<>(Arrays.asList(entries)));
    state.setHistoryLog(EMPTY);
    return new PackedHistory(source, entries, starts);
  }

  /**
   * Moves the state's history list into its bytes field, leaving the list empty. An event adds an
   * entry and drops the oldest, so most entries are the ones unpacked: their bytes are copied as
   * they were, in runs, and only new entries are encoded. Entries are never changed in place (the
   * rules insert and drop them), so an entry unpacked still has the bytes it was read from.
   */
  void pack(UserInterestState state) {
    List<HistoryEntry> history = state.getHistory();
    int count = history.size();
    int[] unpackedAt = new int[count];
    byte[][] strings = new byte[2 * count][];
    int bytes = Integer.BYTES;
    int guess = 0;
    for (int i = 0; i < count; i++) {
      HistoryEntry entry = history.get(i);
      int k = indexOf(entry, guess);
      unpackedAt[i] = k;
      if (k >= 0) {
        bytes += starts[k + 1] - starts[k];
        guess = k + 1;
      } else {
        strings[2 * i] = PackedStrings.utf8(entry.getScene());
        strings[2 * i + 1] = PackedStrings.utf8(entry.getItemId());
        bytes +=
            Long.BYTES
                + 1
                + PackedStrings.size(strings[2 * i])
                + PackedStrings.size(strings[2 * i + 1]);
      }
    }
    ByteBuffer packed = ByteBuffer.allocate(bytes).putInt(count);
    for (int i = 0; i < count; ) {
      int k = unpackedAt[i];
      if (k < 0) {
        HistoryEntry entry = history.get(i);
        packed.putLong(entry.getTimestamp()).put((byte) entry.getEventType().ordinal());
        PackedStrings.write(packed, strings[2 * i]);
        PackedStrings.write(packed, strings[2 * i + 1]);
        i++;
        continue;
      }
      int run = 1;
      while (i + run < count && unpackedAt[i + run] == k + run) {
        run++;
      }
      packed.put(source.duplicate().position(starts[k]).limit(starts[k + run]));
      i += run;
    }
    state.setHistoryLog(packed.flip());
    state.setHistory(new ArrayList<>());
  }

  /** The position of {@code entry} (the same object) among those unpacked, or -1. */
  private int indexOf(HistoryEntry entry, int guess) {
    if (guess < entries.length && entries[guess] == entry) {
      return guess;
    }
    for (int k = 0; k < entries.length; k++) {
      if (entries[k] == entry) {
        return k;
      }
    }
    return -1;
  }
}
