package org.interesttracker.local;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.interesttracker.replay.EventSendListener;

/**
 * End-to-end latency of each event: from the moment the replayer hands it to Kafka until its first
 * recommendation is read back from the output topic. Events without one (dropped as duplicates or
 * dead letters) are not measured.
 */
public final class LatencyRecorder implements EventSendListener {
  private final Map<String, Long> sendNanosById = new ConcurrentHashMap<>();
  private long[] latenciesNanos = new long[1024];
  private int count;

  @Override
  public void sent(String eventId, long sendNanos) {
    sendNanosById.putIfAbsent(eventId, sendNanos);
  }

  /** The output for {@code eventId} was read at {@code receiveNanos}. */
  public void received(String eventId, long receiveNanos) {
    Long sendNanos = sendNanosById.remove(eventId);
    if (sendNanos != null) {
      add(receiveNanos - sendNanos);
    }
  }

  /** Events sent whose output has not been read yet. */
  public int pending() {
    return sendNanosById.size();
  }

  public synchronized LatencyPercentiles percentiles() {
    return LatencyPercentiles.ofNanos(Arrays.copyOf(latenciesNanos, count));
  }

  private synchronized void add(long latencyNanos) {
    if (count == latenciesNanos.length) {
      latenciesNanos = Arrays.copyOf(latenciesNanos, count * 2);
    }
    latenciesNanos[count++] = latencyNanos;
  }
}
