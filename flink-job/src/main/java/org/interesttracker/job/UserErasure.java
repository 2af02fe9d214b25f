package org.interesttracker.job;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.interesttracker.avro.state.UserInterestState;

/**
 * What forgetting a user takes: the parallel instance that owns the user's key (every instance
 * reads every control request) deletes the pending expiry timer, and the caller clears the one
 * state entry that holds everything else of the user (history, model cache, scene strengths,
 * de-duplication fingerprints, latest recommendations). Tombstones for the user's key go to the
 * profile and recommendation topics; on a compacted topic they remove the user's records.
 */
final class UserErasure {
  private final JobSettings settings;
  private final InternalTimerService<VoidNamespace> timers;
  private final int maxParallelism;
  private final KeyGroupRange ownKeyGroups;

  UserErasure(
      JobSettings settings,
      InternalTimerService<VoidNamespace> timers,
      int maxParallelism,
      int parallelism,
      int subtask) {
    this.settings = settings;
    this.timers = timers;
    this.maxParallelism = maxParallelism;
    this.ownKeyGroups =
        KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
            maxParallelism, parallelism, subtask);
  }

  /** True if this instance keeps the user's state, and so must erase it. */
  boolean owns(String userId) {
    return ownKeyGroups.contains(KeyGroupRangeAssignment.assignToKeyGroup(userId, maxParallelism));
  }

  /**
   * Deletes the user's expiry timer and says what the erasure removed.
   *
   * @param user the user's state, or null if the job keeps none
   */
  String erase(UserInterestState user) {
    String tombstones =
        "tombstones to " + settings.profileTopic() + " and " + settings.recommendationTopic();
    if (user == null) {
      return "no state was kept for the user; " + tombstones;
    }
    timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, user.getExpiryTimer());
    return "erased the user's state (history, model cache, "
        + user.getScenes().size()
        + " scene strengths, de-duplication fingerprints, latest recommendations; latest event"
        + " time "
        + user.getLatestEventTime()
        + ") and its expiry timer; "
        + tombstones;
  }

  /** The tombstones that remove the user's records from the compacted output topics. */
  List<OutboundRecord> tombstones(String userId) {
    byte[] key = userId.getBytes(StandardCharsets.UTF_8);
    return List.of(
        new OutboundRecord(settings.profileTopic(), key, null),
        new OutboundRecord(settings.recommendationTopic(), key, null));
  }
}
