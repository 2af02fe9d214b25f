package org.interesttracker.serving;

import java.util.List;
import org.interesttracker.avro.state.HistoryEntry;

/**
 * Writes a user's history into a batch row the way the model was trained: the latest events,
 * left-padded, as vocabulary indices (unknown for anything new), with each event's age in seconds
 * relative to the user's latest event.
 */
public final class HistoryEncoder {
  private final ModelBundle bundle;

  public HistoryEncoder(ModelBundle bundle) {
    this.bundle = bundle;
  }

  public void encode(List<HistoryEntry> history, HistoryBatch batch, int row) {
    int length = batch.length();
    int count = Math.min(length, history.size());
    long queryTime = latestTime(history);
    for (int position = 0; position < count; position++) {
      HistoryEntry entry = history.get(history.size() - count + position);
      batch.set(
          row,
          length - count + position,
          bundle.items().indexOf(entry.getItemId()),
          bundle.sceneTokens().indexOf(entry.getScene()),
          bundle.eventTypes().indexOf(entry.getEventType().name()),
          (queryTime - entry.getTimestamp()) / 1000f);
    }
  }

  private static long latestTime(List<HistoryEntry> history) {
    long latest = Long.MIN_VALUE;
    for (HistoryEntry entry : history) {
      latest = Math.max(latest, entry.getTimestamp());
    }
    return latest;
  }
}
