package org.interesttracker.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.job.JobSettings;

/**
 * What a job that switched model versions must have written: for each event, the recommendation an
 * uninterrupted sequential pass with the version that answered it writes (a user's state other than
 * the model's does not depend on the version, and a rebuilt model state is exact).
 */
public final class VersionedPass {
  private VersionedPass() {}

  /**
   * @param withA settings naming the first model, {@code withB} the second, whose version is {@code
   *     versionB}
   * @param versionByEvent the version of the job's recommendation for each event id
   */
  public static Map<String, List<String>> expectedPerUser(
      JobSettings withA,
      JobSettings withB,
      String versionB,
      List<InteractionEvent> events,
      Map<String, String> versionByEvent) {
    List<Recommendation> byA = OutputTopic.RECOMMENDATIONS.expected().apply(withA, events);
    List<Recommendation> byB = OutputTopic.RECOMMENDATIONS.expected().apply(withB, events);
    List<Recommendation> expected = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      boolean answeredByB = versionB.equals(versionByEvent.get(events.get(i).getEventId()));
      expected.add((answeredByB ? byB : byA).get(i));
    }
    return OutputTopic.RECOMMENDATIONS.perUser(expected);
  }

  /** Per user, the versions that answered the user's events, in order, space-separated. */
  public static Map<String, String> versionsPerUser(
      List<InteractionEvent> events, Map<String, String> versionByEvent) {
    Map<String, String> versions = new HashMap<>();
    for (InteractionEvent event : events) {
      versions.merge(
          event.getUserId(), versionByEvent.get(event.getEventId()), (a, b) -> a + " " + b);
    }
    return versions;
  }

  /** Matches {@link #versionsPerUser} of a user who moved from A to B at most once. */
  public static String fromAToB(String versionA, String versionB) {
    return "(" + versionA + " ?)*(" + versionB + " ?)*";
  }
}
