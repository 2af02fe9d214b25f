package org.interesttracker.local;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the events the job applied, from its recommendations: every applied event gets one per
 * target scene, sent one after another, and a user's records keep their order on the topic. So an
 * event is counted when a user's recommendation names another event than their one before. Profiles
 * could not be counted instead: they go out only when a strength moved enough.
 */
final class AnsweredEvents {
  // Written by the one reader thread only.
  private final Map<String, String> latestEventByUser = new HashMap<>();
  private final AtomicLong count = new AtomicLong();
  private final SteadyStateRate rate = new SteadyStateRate();

  /** A recommendation of {@code userId} for {@code eventId} was read at {@code nanos}. */
  void recommended(String userId, String eventId, long nanos) {
    if (!eventId.equals(latestEventByUser.put(userId, eventId))) {
      count.incrementAndGet();
      rate.read(nanos);
    }
  }

  long count() {
    return count.get();
  }

  /** Events answered per second in steady state, or null if too few. */
  Double steadyStatePerSecond() {
    return rate.perSecond();
  }
}
