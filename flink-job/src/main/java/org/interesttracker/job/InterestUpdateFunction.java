package org.interesttracker.job;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.interest.InterestRules;
import org.interesttracker.interest.InterestUpdater;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;
import org.interesttracker.serving.Recommender;

/**
 * Keeps each user's interest state (one Avro value per user in RocksDB, so fields can evolve across
 * savepoints); after every accepted event it runs the model over the user's history, emits a
 * recommendation per target scene and, on a side output, the user's profile. Idle users expire
 * after the state TTL in event time: one pending timer per user, re-armed lazily when it fires on a
 * user who has been active since, so an event never pays for deleting a timer.
 */
final class InterestUpdateFunction
    extends KeyedProcessFunction<String, SourcedEvent, Recommendation> {
  static final OutputTag<InterestProfile> PROFILES =
      new OutputTag<>("profiles", new AvroTypeInfo<>(InterestProfile.class));
  static final ValueStateDescriptor<UserInterestState> STATE =
      new ValueStateDescriptor<>("user-interest", new AvroTypeInfo<>(UserInterestState.class));

  private final JobSettings settings;
  private final InterestRules rules;
  private final long ttlMs;
  private final AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);

  private transient InterestUpdater updater;
  private transient Recommender recommender;
  private transient List<String> modelScenes;
  private transient RecommendationMetrics metrics;
  private transient ValueState<UserInterestState> state;
  private transient OutcomeCounter profilesOut;
  private transient OutcomeCounter duplicates;
  private transient DeadLetterCounters deadLetters;
  private transient Counter stateUpdates;
  private transient Counter usersExpired;
  private transient ProcessingFailures failures;

  InterestUpdateFunction(JobSettings settings, InterestRules rules) {
    this.settings = settings;
    this.rules = rules;
    this.ttlMs = settings.stateTtl().toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    updater = new InterestUpdater(rules);
    ModelBundle bundle =
        ModelBundle.load(ModelFiles.of(settings.modelDir()), settings.historyLength());
    recommender =
        Recommender.exact(
            bundle,
            settings.topK(),
            settings.reasonsPerItem(),
            InterestTrackerJob.INFERENCE_BATCH_SIZE);
    modelScenes = bundle.scenes();
    metrics = new RecommendationMetrics(getRuntimeContext(), bundle.version());
    state = getRuntimeContext().getState(STATE);
    profilesOut = OutcomeCounter.register(getRuntimeContext(), JobCounters.PROFILES_OUT);
    duplicates = OutcomeCounter.register(getRuntimeContext(), JobCounters.DUPLICATES);
    deadLetters = new DeadLetterCounters(getRuntimeContext());
    stateUpdates = getRuntimeContext().getMetricGroup().counter("state-updates");
    usersExpired = getRuntimeContext().getMetricGroup().counter("users-expired");
    failures = new ProcessingFailures(getRuntimeContext(), settings.failureLimit());
  }

  @Override
  public void processElement(SourcedEvent in, Context context, Collector<Recommendation> out)
      throws Exception {
    long now = System.currentTimeMillis();
    Update update;
    try {
      update = update(context.getCurrentKey(), in.event, context, now);
    } catch (Exception e) {
      // The record boundary: nothing one event holds may fail the job. The user's state was not
      // written, so the event has no effect beyond its dead letter.
      deadLetter(in, DeadLetterReason.PROCESSING_FAILED, "processing failed: " + e, context);
      failures.failed(
          "event " + in.event.getEventId() + " of user " + context.getCurrentKey(), e, now);
      return;
    }
    failures.succeeded(now);
    emit(update, in, context, out);
  }

  /** What one event did: its outcome and, if applied, what to send. */
  private record Update(
      InterestUpdater.Outcome outcome,
      UserInterestState user,
      List<String> previousRecommendation,
      List<Recommendation> recommendations,
      InterestProfile profile) {}

  /**
   * Applies the event to the user's state and computes its outputs; writes the state only once
   * everything succeeded.
   */
  private Update update(String userId, InteractionEvent event, Context context, long now)
      throws Exception {
    UserInterestState user = state.value();
    if (user == null) {
      user = InterestUpdater.emptyState();
    }
    InterestUpdater.Outcome outcome = updater.apply(user, event);
    if (outcome != InterestUpdater.Outcome.APPLIED) {
      return new Update(outcome, user, null, List.of(), null);
    }
    List<String> previous = user.getLastRecommended().get(event.getScene());
    List<Recommendation> recommendations = recommend(userId, user, event);
    InterestProfile profile = updater.profile(userId, user, event, now);
    if (user.getExpiryTimer() == Long.MIN_VALUE) {
      armExpiry(user, context.timerService()::registerEventTimeTimer);
    }
    state.update(user);
    return new Update(outcome, user, previous, recommendations, profile);
  }

  private void emit(
      Update update, SourcedEvent in, Context context, Collector<Recommendation> out) {
    switch (update.outcome()) {
      case DUPLICATE -> duplicates.inc();
      case TOO_LATE ->
          deadLetter(in, DeadLetterReason.TOO_LATE, tooLate(in, update.user()), context);
      case APPLIED -> {
        metrics.quality().record(update.previousRecommendation(), in.event.getItemId());
        for (Recommendation recommendation : update.recommendations()) {
          metrics.emitted(recommendation.getColdStart());
          out.collect(recommendation);
        }
        stateUpdates.inc();
        context.output(PROFILES, update.profile());
        profilesOut.inc();
      }
    }
  }

  @Override
  public void close() throws Exception {
    if (recommender != null) {
      recommender.close();
    }
  }

  /**
   * Recommends for the target scenes and remembers what was recommended and the interest vectors.
   */
  private List<Recommendation> recommend(
      String userId, UserInterestState user, InteractionEvent event) throws Exception {
    long start = System.nanoTime();
    Recommender.Result result =
        recommender
            .recommend(
                List.of(
                    new Recommender.Request(userId, user.getHistory(), event, targetScenes(event))))
            .get(0);
    metrics.inference((System.nanoTime() - start) / 1000, InterestTrackerJob.INFERENCE_BATCH_SIZE);
    user.setInterests(floats(result.interests()));
    user.setInterestsModelVersion(recommender.modelVersion());
    for (Recommendation recommendation : result.recommendations()) {
      user.getLastRecommended()
          .put(
              recommendation.getScene(),
              recommendation.getItems().stream().map(item -> item.getItemId()).toList());
    }
    return result.recommendations();
  }

  /** The event's scene, or every scene the model knows plus the event's if it is new. */
  private List<String> targetScenes(InteractionEvent event) {
    if (settings.recommendFor() == JobSettings.RecommendFor.EVENT_SCENE) {
      return List.of(event.getScene());
    }
    if (modelScenes.contains(event.getScene())) {
      return modelScenes;
    }
    List<String> scenes = new ArrayList<>(modelScenes);
    scenes.add(event.getScene());
    return scenes;
  }

  private static List<Float> floats(float[] values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float value : values) {
      list.add(value);
    }
    return list;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext context, Collector<Recommendation> out)
      throws Exception {
    UserInterestState user = state.value();
    if (user == null) {
      return;
    }
    if (user.getLatestEventTime() + ttlMs <= timestamp) {
      state.clear();
      usersExpired.inc();
    } else {
      armExpiry(user, context.timerService()::registerEventTimeTimer);
      state.update(user);
    }
  }

  private void armExpiry(UserInterestState user, LongConsumer register) {
    long expiry = user.getLatestEventTime() + ttlMs;
    register.accept(expiry);
    user.setExpiryTimer(expiry);
  }

  private String tooLate(SourcedEvent in, UserInterestState user) {
    return "event time "
        + in.event.getTimestamp()
        + " is more than the allowed lateness "
        + rules.allowedLateness()
        + " behind the user's latest event "
        + user.getLatestEventTime();
  }

  /** Dead-letters an event refused after decoding: its bytes are the event re-encoded. */
  private void deadLetter(SourcedEvent in, DeadLetterReason reason, String error, Context context) {
    deadLetters.inc(reason);
    context.output(
        DeadLetters.TAG,
        DeadLetters.of(
            codec.encode(in.event),
            in.topic,
            in.partition,
            in.offset,
            reason,
            error,
            System.currentTimeMillis()));
  }
}
