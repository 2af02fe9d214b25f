package org.interesttracker.eventlog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Counts what an event log holds: events, users, items, events per scene and the time span. */
public final class EventLogSummary {

  private final Set<String> users = new HashSet<>();
  private final Set<String> items = new HashSet<>();
  private final Map<String, Long> eventsByScene = new TreeMap<>();
  private long events;
  private long firstMs = Long.MAX_VALUE;
  private long lastMs = Long.MIN_VALUE;

  public void add(EventLogRecord record) {
    events++;
    users.add(record.userId());
    items.add(record.itemId());
    eventsByScene.merge(record.scene(), 1L, Long::sum);
    firstMs = Math.min(firstMs, record.timestampMs());
    lastMs = Math.max(lastMs, record.timestampMs());
  }

  public long events() {
    return events;
  }

  public int users() {
    return users.size();
  }

  public int items() {
    return items.size();
  }

  /** Events per scene, by scene name. */
  public Map<String, Long> eventsByScene() {
    return Map.copyOf(eventsByScene);
  }

  /** Time of the first event; undefined for an empty log. */
  public Instant first() {
    return Instant.ofEpochMilli(firstMs);
  }

  /** Time of the last event; undefined for an empty log. */
  public Instant last() {
    return Instant.ofEpochMilli(lastMs);
  }

  /** Human-readable lines, one fact per line. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("events:    %,d", events));
    lines.add(String.format("users:     %,d", users.size()));
    lines.add(String.format("items:     %,d", items.size()));
    lines.add(String.format("scenes:    %,d", eventsByScene.size()));
    eventsByScene.forEach(
        (scene, count) -> lines.add(String.format("  %-24s %,d events", scene, count)));
    if (events > 0) {
      lines.add(
          String.format(
              "time span: %s .. %s (%.1f days)",
              first(), last(), (lastMs - firstMs) / (double) Duration.ofDays(1).toMillis()));
    }
    return lines;
  }
}
