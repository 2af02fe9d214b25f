package org.interesttracker.local;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.serving.RankingScore;

/**
 * Online quality of the job's recommendations against a baseline computed on the same stream. The
 * protocol is prequential: the recommendation made after a user's event in a scene is scored
 * against that user's next event in the same scene (hit rate and NDCG at K). The baseline is the
 * scene's live popularity at the same moment, leaving out the user's recent items as the job does.
 */
public final class PrequentialEvaluation {
  private final int k;
  private final int historyLength;
  private final Map<String, List<String>> jobRecommendations = new HashMap<>();

  public PrequentialEvaluation(int k, int historyLength) {
    this.k = k;
    this.historyLength = historyLength;
  }

  /** The job recommended {@code items} after the event {@code eventId}. */
  public synchronized void recommended(String eventId, List<String> items) {
    jobRecommendations.putIfAbsent(eventId, items);
  }

  /**
   * Scores the recommendations over the events, in replay order; {@code eventIds} gives each
   * event's id as the replay sent it.
   */
  public synchronized QualityReport evaluate(
      Iterator<EventLogRecord> events, Iterator<String> eventIds) {
    ScenePopularity popularity = new ScenePopularity();
    Map<String, Deque<String>> recentItems = new HashMap<>();
    Map<String, List<String>> lastJob = new HashMap<>();
    Map<String, List<String>> lastPopular = new HashMap<>();
    RankingScore job = new RankingScore();
    RankingScore popular = new RankingScore();
    while (events.hasNext()) {
      EventLogRecord event = events.next();
      String eventId = eventIds.next();
      String userScene = event.userId() + '\u0000' + event.scene();
      List<String> previousJob = lastJob.get(userScene);
      List<String> previousPopular = lastPopular.get(userScene);
      if (previousJob != null && previousPopular != null) {
        job.add(previousJob, event.itemId());
        popular.add(previousPopular, event.itemId());
      }
      Deque<String> recent = recentItems.computeIfAbsent(event.userId(), u -> new ArrayDeque<>());
      recent.addLast(event.itemId());
      if (recent.size() > historyLength) {
        recent.removeFirst();
      }
      popularity.add(event.scene(), event.itemId());
      List<String> recommendation = jobRecommendations.get(eventId);
      if (recommendation != null) {
        lastJob.put(userScene, recommendation);
        lastPopular.put(userScene, popularity.top(event.scene(), k, new HashSet<>(recent)));
      }
    }
    return new QualityReport(
        job.evaluated(), job.hitRate(), job.ndcg(), popular.hitRate(), popular.ndcg());
  }

  /**
   * @param evaluated events scored against a previous recommendation in their scene
   */
  public record QualityReport(
      long evaluated,
      double hitRate,
      double ndcg,
      double popularityHitRate,
      double popularityNdcg) {}
}
