package org.interesttracker.interest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.interesttracker.avro.state.RecentEvent;
import org.interesttracker.avro.state.UserInterestState;

/**
 * The events a user had applied within the de-duplication horizon, oldest first, to drop
 * re-deliveries: the 64-bit fingerprint of each event id and its event time. They are kept in one
 * bytes field of the state ({@code recent_log}), pairs of big-endian int64, read and written in
 * bulk: as an Avro array of records an active user's hundreds of them were decoded field by field
 * on every event. State written before this layout keeps them in {@code recent_events} (or, before
 * ids were fingerprinted, {@code recent_event_ids}) until it is next written.
 */
final class RecentEvents {
  private static final int PAIR_BYTES = 2 * Long.BYTES;

  private long[] hashes;
  private long[] times;
  private int size;

  private RecentEvents(int capacity) {
    hashes = new long[capacity];
    times = new long[capacity];
  }

  /** The events the state remembers, in whichever of its layouts. */
  static RecentEvents of(UserInterestState state) {
    ByteBuffer log = state.getRecentLog().duplicate();
    List<RecentEvent> records = state.getRecentEvents();
    List<String> ids = state.getRecentEventIds();
    RecentEvents events =
        new RecentEvents(log.remaining() / PAIR_BYTES + records.size() + ids.size() + 1);
    while (log.remaining() >= PAIR_BYTES) {
      events.append(log.getLong(), log.getLong());
    }
    for (RecentEvent record : records) {
      events.add(record.getIdHash(), record.getTime());
    }
    // Ids kept before they were fingerprinted stay a full horizon from the user's latest event.
    for (String id : ids) {
      events.add(fingerprint(id), state.getLatestEventTime());
    }
    return events;
  }

  /** The 64-bit fingerprint kept of an event id. */
  static long fingerprint(String eventId) {
    return SchemaNormalization.fingerprint64(eventId.getBytes(StandardCharsets.UTF_8));
  }

  boolean contains(long idHash) {
    for (int i = 0; i < size; i++) {
      if (hashes[i] == idHash) {
        return true;
      }
    }
    return false;
  }

  /** Adds an event in time order. */
  void add(long idHash, long time) {
    int position = size;
    while (position > 0 && times[position - 1] > time) {
      position--;
    }
    if (size == hashes.length) {
      hashes = Arrays.copyOf(hashes, 2 * size + 1);
      times = Arrays.copyOf(times, 2 * size + 1);
    }
    System.arraycopy(hashes, position, hashes, position + 1, size - position);
    System.arraycopy(times, position, times, position + 1, size - position);
    hashes[position] = idHash;
    times[position] = time;
    size++;
  }

  /** Forgets events before {@code horizonStart} and, past {@code maxEvents}, the oldest. */
  void forget(long horizonStart, int maxEvents) {
    int forget = 0;
    while (forget < size && (times[forget] < horizonStart || size - forget > maxEvents)) {
      forget++;
    }
    System.arraycopy(hashes, forget, hashes, 0, size - forget);
    System.arraycopy(times, forget, times, 0, size - forget);
    size -= forget;
  }

  /** Writes the events into the state's bytes field, leaving the older layouts empty. */
  void storeIn(UserInterestState state) {
    ByteBuffer log = ByteBuffer.allocate(size * PAIR_BYTES);
    for (int i = 0; i < size; i++) {
      log.putLong(hashes[i]).putLong(times[i]);
    }
    state.setRecentLog(log.flip());
    state.getRecentEvents().clear();
    state.getRecentEventIds().clear();
  }

  /** Event times of the events remembered, oldest first. */
  long[] times() {
    return Arrays.copyOf(times, size);
  }

  private void append(long idHash, long time) {
    hashes[size] = idHash;
    times[size] = time;
    size++;
  }
}
