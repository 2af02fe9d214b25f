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
  }

  @Override
  public void processElement(SourcedEvent in, Context context, Collector<Recommendation> out)
      throws Exception {
    UserInterestState user = state.value();
    if (user == null) {
      user = InterestUpdater.emptyState();
    }
    switch (updater.apply(user, in.event)) {
      case DUPLICATE -> duplicates.inc();
      case TOO_LATE -> deadLetterTooLate(in, user, context);
      case APPLIED -> {
        if (user.getExpiryTimer() == Long.MIN_VALUE) {
          armExpiry(user, context.timerService()::registerEventTimeTimer);
        }
        recommend(context.getCurrentKey(), user, in.event, out);
        state.update(user);
        stateUpdates.inc();
        context.output(
            PROFILES,
            updater.profile(context.getCurrentKey(), user, in.event, System.currentTimeMillis()));
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
   * Scores the previous recommendation of the event's scene against this event, then recommends
   * again and remembers what was recommended and the interest vectors.
   */
  private void recommend(
      String userId, UserInterestState user, InteractionEvent event, Collector<Recommendation> out)
      throws Exception {
    metrics.quality().record(user.getLastRecommended().get(event.getScene()), event.getItemId());
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
      metrics.emitted(recommendation.getColdStart());
      out.collect(recommendation);
    }
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

  private void deadLetterTooLate(SourcedEvent in, UserInterestState user, Context context) {
    deadLetters.inc(DeadLetterReason.TOO_LATE);
    String error =
        "event time "
            + in.event.getTimestamp()
            + " is more than the allowed lateness "
            + rules.allowedLateness()
            + " behind the user's latest event "
            + user.getLatestEventTime();
    context.output(
        DeadLetters.TAG,
        DeadLetters.of(
            codec.encode(in.event),
            in.topic,
            in.partition,
            in.offset,
            DeadLetterReason.TOO_LATE,
            error,
            System.currentTimeMillis()));
  }
}
