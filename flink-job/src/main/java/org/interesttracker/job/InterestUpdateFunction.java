package org.interesttracker.job;

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
import org.interesttracker.interest.EventStep;
import org.interesttracker.interest.InterestRules;
import org.interesttracker.serde.AvroCodec;

/**
 * The Flink side of the per-event step ({@link EventStep}, which decides everything): keeps each
 * user's state (one Avro value per user in RocksDB, so fields can evolve across savepoints), sends
 * the step's recommendations, its profile on a side output and refused events to the dead-letter
 * output, counts, and guards the record boundary. Idle users expire after the state TTL in event
 * time: one pending timer per user, re-armed lazily when it fires on a user who has been active
 * since, so an event never pays for deleting a timer.
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

  private transient EventStep step;
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
    step = settings.eventStep(rules, InterestTrackerJob.INFERENCE_BATCH_SIZE);
    metrics =
        new RecommendationMetrics(getRuntimeContext(), step.modelVersion(), step.newCoverage());
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
    EventStep.Result result;
    try {
      result = step.apply(context.getCurrentKey(), state.value(), in.event, now);
      if (result.applied()) {
        if (result.state().getExpiryTimer() == Long.MIN_VALUE) {
          armExpiry(result.state(), context.timerService()::registerEventTimeTimer);
        }
        state.update(result.state());
      }
    } catch (Exception e) {
      // The record boundary: nothing one event holds may fail the job. The user's state was not
      // written, so the event has no effect beyond its dead letter.
      deadLetter(in, DeadLetterReason.PROCESSING_FAILED, "processing failed: " + e, context);
      failures.failed(
          "event " + in.event.getEventId() + " of user " + context.getCurrentKey(), e, now);
      return;
    }
    failures.succeeded(now);
    emit(result, in, context, out);
  }

  private void emit(
      EventStep.Result result, SourcedEvent in, Context context, Collector<Recommendation> out) {
    switch (result.outcome()) {
      case DUPLICATE -> duplicates.inc();
      case TOO_LATE ->
          deadLetter(in, DeadLetterReason.TOO_LATE, tooLate(in, result.state()), context);
      case APPLIED -> {
        metrics.inference(result.inferenceMicros(), InterestTrackerJob.INFERENCE_BATCH_SIZE);
        metrics.coverage(in.event.getItemId(), in.event.getScene());
        metrics.quality().record(result.previousRecommendation(), in.event.getItemId());
        for (Recommendation recommendation : result.recommendations()) {
          metrics.emitted(recommendation.getColdStart());
          out.collect(recommendation);
        }
        stateUpdates.inc();
        context.output(PROFILES, result.profile());
        profilesOut.inc();
      }
    }
  }

  @Override
  public void close() throws Exception {
    if (step != null) {
      step.close();
    }
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
