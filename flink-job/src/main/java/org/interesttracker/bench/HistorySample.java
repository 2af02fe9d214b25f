package org.interesttracker.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.state.HistoryEntry;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.interest.InterestRules;
import org.interesttracker.interest.InterestUpdater;
import org.interesttracker.serving.Recommender;

/**
 * Realistic model inputs for benchmarks: an event log folded through the job's own state rules,
 * keeping a request (the user's history at that moment) for each of the last events, so the
 * histories are as long and as varied as the job would see them.
 */
record HistorySample(List<Recommender.Request> requests) {

  /**
   * Folds the first {@code totalEvents} events and keeps a request for each of the last {@code
   * requests} of them.
   */
  static HistorySample of(
      Iterator<EventLogRecord> events, InterestRules rules, int totalEvents, int requests) {
    InterestUpdater updater = new InterestUpdater(rules);
    Map<String, UserInterestState> users = new HashMap<>();
    List<Recommender.Request> sample = new ArrayList<>(requests);
    for (int index = 0; index < totalEvents && events.hasNext(); index++) {
      EventLogRecord record = events.next();
      InteractionEvent event = record.toEvent("e" + index);
      UserInterestState user =
          users.computeIfAbsent(record.userId(), u -> InterestUpdater.emptyState());
      updater.apply(user, event);
      if (index >= totalEvents - requests) {
        sample.add(
            new Recommender.Request(
                record.userId(),
                List.<HistoryEntry>copyOf(user.getHistory()),
                event,
                List.of(record.scene())));
      }
    }
    return new HistorySample(sample);
  }
}
