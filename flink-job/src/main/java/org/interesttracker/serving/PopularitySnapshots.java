package org.interesttracker.serving;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.interesttracker.popularity.LivePopularityTable;

/**
 * What one model reads of the live-popularity table at the snapshot its current events read: the
 * log-share column the index ranks with and, when the model lists live popularity for new users,
 * each scene's list. A snapshot no longer changes once events read it, and events a little out of
 * order switch between the few from the table's base on: each column and list is computed once.
 */
final class PopularitySnapshots {
  private final ModelBundle bundle;
  private final TreeMap<Long, float[]> columns = new TreeMap<>();
  // Per boundary, per model scene (null: every scene), the most popular items.
  private final TreeMap<Long, Map<String, List<PopularItem>>> newUserLists = new TreeMap<>();
  private LivePopularityTable table;
  private long boundaryMs = Long.MIN_VALUE;

  PopularitySnapshots(ModelBundle bundle) {
    this.bundle = bundle;
  }

  /**
   * Moves to the snapshot at {@code boundaryMs}, which must be at or after the table's base.
   *
   * @return the snapshot's log-share column when it differs from the one before, else null
   */
  float[] moveTo(LivePopularityTable table, long boundaryMs) {
    if (table == this.table && boundaryMs == this.boundaryMs) {
      return null;
    }
    if (table != this.table) {
      // What was computed belongs to the table it was computed from.
      columns.clear();
      newUserLists.clear();
      this.table = table;
    }
    this.boundaryMs = boundaryMs;
    columns.headMap(table.baseBoundaryMs()).clear();
    newUserLists.headMap(table.baseBoundaryMs()).clear();
    newUserLists.computeIfAbsent(boundaryMs, ignored -> new HashMap<>());
    return columns.computeIfAbsent(
        boundaryMs, boundary -> table.logShares(bundle.items(), bundle.firstItemIndex(), boundary));
  }

  /**
   * A new user's list in {@code scene}: the scene's live popularity when the model lists it and a
   * snapshot is in use, else (or while the stream has shown nothing of the scene) the training
   * log's. A scene the model does not know reads every scene's, as with the training lists.
   */
  List<PopularItem> newUserList(String scene) {
    if (table == null || bundle.liveNewUserItems() == 0) {
      return bundle.popularity(scene);
    }
    String listed = bundle.scenes().contains(scene) ? scene : null;
    List<PopularItem> live =
        newUserLists
            .get(boundaryMs)
            .computeIfAbsent(
                listed,
                key ->
                    table.mostPopular(
                        key,
                        bundle.items(),
                        bundle.firstItemIndex(),
                        boundaryMs,
                        bundle.liveNewUserItems()));
    return live.isEmpty() ? bundle.popularity(scene) : live;
  }
}
