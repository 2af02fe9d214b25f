package org.interesttracker.job;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.interesttracker.interest.EventStep;
import org.interesttracker.popularity.LivePopularityTable;
import org.interesttracker.popularity.PopularityRule;
import org.interesttracker.popularity.PopularityUpdate;

/**
 * The scoring operator's side of live popularity: the table of published weights, and which
 * snapshot each event's recommendations read, so that online they are what the offline evaluation
 * computes (a request at t reads the snapshot at {@link PopularityRule#boundaryOf}(t)).
 *
 * <p>A snapshot is complete once the operator's watermark (the lower of its inputs') has passed its
 * boundary - 1: every aggregation instance has published its updates for it. An event whose
 * snapshot is not complete yet waits in keyed state, with an event-time timer at the boundary - 1
 * that releases it (the delay of the rule makes that rare outside fast replays); the same watermark
 * completes snapshots and fires those timers, so a user's later event never overtakes a waiting
 * one. The table's base follows the watermark too: an event later than it reads the base snapshot,
 * not its own, and counts in {@link #POPULARITY_OLDER_SNAPSHOT}.
 *
 * <p>Every instance receives every update, so instance 0 alone writes the table into union list
 * state, and a restore at any parallelism gives each instance that copy.
 */
final class LivePopularityInput {
  static final ListStateDescriptor<PopularityUpdate> TABLE =
      new ListStateDescriptor<>("live-popularity", TypeInformation.of(PopularityUpdate.class));
  static final ListStateDescriptor<SourcedEvent> WAITING =
      new ListStateDescriptor<>("popularity-waits", TypeInformation.of(SourcedEvent.class));

  /** Events ranked with an older snapshot than their own, being later than the watermark. */
  static final String POPULARITY_OLDER_SNAPSHOT = "popularity-older-snapshot";

  /** {@link #boundaryFor}'s answer for an event that now waits. */
  static final long WAITS = Long.MIN_VALUE;

  private final PopularityRule rule;
  private final LivePopularityTable table;
  private final ListState<PopularityUpdate> tableState;
  private final ListState<SourcedEvent> waiting;
  private final InternalTimerService<VoidNamespace> releases;
  private final Counter olderSnapshots;
  private long watermark = Long.MIN_VALUE;

  LivePopularityInput(
      PopularityRule rule,
      ListState<PopularityUpdate> tableState,
      ListState<SourcedEvent> waiting,
      InternalTimerService<VoidNamespace> releases,
      MetricGroup metrics)
      throws Exception {
    this.rule = rule;
    this.olderSnapshots = metrics.counter(POPULARITY_OLDER_SNAPSHOT);
    this.tableState = tableState;
    this.waiting = waiting;
    this.releases = releases;
    table = LivePopularityTable.restore(rule, tableState.get());
  }

  PopularityRule rule() {
    return rule;
  }

  /**
   * The boundary of the snapshot the event's recommendations read, or {@link #WAITS} when that
   * snapshot is not complete: then the event is kept for the current key until it is.
   */
  long boundaryFor(SourcedEvent in) throws Exception {
    long boundary = rule.boundaryOf(in.event.getTimestamp());
    if (boundary > completeBoundary()) {
      waiting.add(in);
      releases.registerEventTimeTimer(VoidNamespace.INSTANCE, boundary - 1);
      return WAITS;
    }
    return readBoundary(in);
  }

  /** The current key's waiting events, in arrival order; the watermark has completed theirs. */
  List<SourcedEvent> release() throws Exception {
    List<SourcedEvent> released = new ArrayList<>();
    Iterable<SourcedEvent> kept = waiting.get(); // null when nothing is kept, on some backends
    if (kept != null) {
      kept.forEach(released::add);
    }
    waiting.clear();
    return released;
  }

  /**
   * The boundary of a complete snapshot the event reads: its own, or the base for an event later
   * than the watermark.
   */
  long readBoundary(SourcedEvent in) {
    long own = rule.boundaryOf(in.event.getTimestamp());
    if (own >= table.baseBoundaryMs()) {
      return own;
    }
    olderSnapshots.inc();
    return table.baseBoundaryMs();
  }

  void add(PopularityUpdate update) {
    table.add(update);
  }

  /**
   * After the operator's watermark, once the events it released are served: the snapshots up to it
   * are complete, and no event to come (unless late) reads an older one.
   */
  void watermark(long watermark) {
    this.watermark = watermark;
    if (watermark > Long.MIN_VALUE && watermark < Long.MAX_VALUE) {
      table.advanceBase(rule.boundaryOf(watermark + 1));
    }
  }

  /** Ranks {@code step}'s recommendations with the snapshot at {@code boundaryMs}. */
  void use(EventStep step, long boundaryMs) {
    step.usePopularity(table, boundaryMs);
  }

  void snapshot(boolean writer) throws Exception {
    tableState.update(writer ? table.toUpdates() : List.of());
  }

  private long completeBoundary() {
    if (watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE) {
      return watermark; // nothing published yet, or everything
    }
    return rule.intervalStart(watermark + 1);
  }
}
