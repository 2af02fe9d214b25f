package org.interesttracker.replay;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay sent.
 *
 * @param validSent events read from the log and sent once each
 * @param duplicatesInjected re-sent earlier events (same event id)
 * @param malformedInjected records the job must reject, by kind
 */
public record ReplayResult(
    long validSent, long duplicatesInjected, Map<MalformedKind, Long> malformedInjected) {

  public ReplayResult {
    malformedInjected = Collections.unmodifiableMap(new TreeMap<>(malformedInjected));
  }

  public long malformedTotal() {
    return malformedInjected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Every record written to the topic. */
  public long recordsSent() {
    return validSent + duplicatesInjected + malformedTotal();
  }
}
