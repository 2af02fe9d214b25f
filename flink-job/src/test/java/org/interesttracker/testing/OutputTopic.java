package org.interesttracker.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.interest.EventStep;
import org.interesttracker.job.JobSettings;

/**
 * One per-event output topic of the job as the tests see it: where it is, whose record each one is,
 * and what one uninterrupted, sequential pass over the events writes to it. A new output topic of
 * the job is one more entry in {@link #ALL}.
 *
 * @param comparable a record without its wall-clock fields, which differ between runs
 */
public record OutputTopic<T extends SpecificRecord>(
    String name,
    Function<JobSettings, String> topic,
    Class<T> type,
    Function<T, String> userId,
    Function<T, String> comparable,
    BiFunction<JobSettings, List<InteractionEvent>, List<T>> expected) {

  public static final OutputTopic<InterestProfile> PROFILES =
      new OutputTopic<>(
          "profiles",
          JobSettings::profileTopic,
          InterestProfile.class,
          InterestProfile::getUserId,
          profile -> InterestProfile.newBuilder(profile).setEmitTime(0L).build().toString(),
          OutputTopic::expectedProfiles);

  public static final OutputTopic<Recommendation> RECOMMENDATIONS =
      new OutputTopic<>(
          "recommendations",
          JobSettings::recommendationTopic,
          Recommendation.class,
          Recommendation::getUserId,
          recommendation ->
              Recommendation.newBuilder(recommendation).setEmitTime(0L).build().toString(),
          OutputTopic::expectedRecommendations);

  public static final List<OutputTopic<?>> ALL = List.of(PROFILES, RECOMMENDATIONS);

  /** The comparable records the events give, per user, in the order the job writes them. */
  public Map<String, List<String>> expectedPerUser(
      JobSettings settings, List<InteractionEvent> events) {
    return perUser(expected.apply(settings, events));
  }

  /** Comparable records per user, in the order given. */
  public Map<String, List<String>> perUser(List<T> records) {
    Map<String, List<String>> perUser = new HashMap<>();
    for (T record : records) {
      perUser
          .computeIfAbsent(userId.apply(record), user -> new ArrayList<>())
          .add(comparable.apply(record));
    }
    return perUser;
  }

  private static List<InterestProfile> expectedProfiles(
      JobSettings settings, List<InteractionEvent> events) {
    return SequentialPass.run(settings, events).stream()
        .filter(EventStep.Result::applied)
        .map(EventStep.Result::profile)
        .filter(Objects::nonNull)
        .toList();
  }

  private static List<Recommendation> expectedRecommendations(
      JobSettings settings, List<InteractionEvent> events) {
    return SequentialPass.run(settings, events).stream()
        .flatMap(result -> result.recommendations().stream())
        .toList();
  }
}
