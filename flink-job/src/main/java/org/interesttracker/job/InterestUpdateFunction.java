package org.interesttracker.job;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.interest.InterestRules;
import org.interesttracker.interest.InterestUpdater;
import org.interesttracker.serde.AvroCodec;

/**
 * Keeps each user's interest state (one Avro value per user in RocksDB, so fields can evolve across
 * savepoints) and emits their profile after every accepted event. Idle users expire after the state
 * TTL in event time: one pending timer per user, re-armed lazily when it fires on a user who has
 * been active since, so an event never pays for deleting a timer.
 */
final class InterestUpdateFunction
    extends KeyedProcessFunction<String, SourcedEvent, InterestProfile> {
  static final ValueStateDescriptor<UserInterestState> STATE =
      new ValueStateDescriptor<>("user-interest", new AvroTypeInfo<>(UserInterestState.class));

  private final InterestRules rules;
  private final long ttlMs;
  private final AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);

  private transient InterestUpdater updater;
  private transient ValueState<UserInterestState> state;
  private transient OutcomeCounter profilesOut;
  private transient OutcomeCounter duplicates;
  private transient DeadLetterCounters deadLetters;
  private transient Counter stateUpdates;
  private transient Counter usersExpired;

  InterestUpdateFunction(InterestRules rules, Duration stateTtl) {
    this.rules = rules;
    this.ttlMs = stateTtl.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    updater = new InterestUpdater(rules);
    state = getRuntimeContext().getState(STATE);
    profilesOut = OutcomeCounter.register(getRuntimeContext(), JobCounters.PROFILES_OUT);
    duplicates = OutcomeCounter.register(getRuntimeContext(), JobCounters.DUPLICATES);
    deadLetters = new DeadLetterCounters(getRuntimeContext());
    stateUpdates = getRuntimeContext().getMetricGroup().counter("state-updates");
    usersExpired = getRuntimeContext().getMetricGroup().counter("users-expired");
  }

  @Override
  public void processElement(SourcedEvent in, Context context, Collector<InterestProfile> out)
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
        state.update(user);
        stateUpdates.inc();
        out.collect(
            updater.profile(context.getCurrentKey(), user, in.event, System.currentTimeMillis()));
        profilesOut.inc();
      }
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext context, Collector<InterestProfile> out)
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

  private void armExpiry(UserInterestState user, java.util.function.LongConsumer register) {
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
