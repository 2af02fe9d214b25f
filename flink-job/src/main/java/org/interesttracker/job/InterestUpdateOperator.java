package org.interesttracker.job;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
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
 * The Flink side of the per-event step ({@link EventStep}, which decides everything), for bundles
 * of events: events wait in a bundle, which goes when it holds events of {@code bundleSize} users
 * (or {@value #EVENTS_PER_USER} events per user: a few users with many events each), when {@code
 * bundleTimeout} has passed since its first event, at every watermark and before every checkpoint
 * barrier, so a checkpoint never holds a buffered event and a restore is exact. A bundle runs in
 * rounds of one event per user (a user's next event needs the state this one leaves), each round
 * one model call for all its users.
 *
 * <p>The operator keeps each user's state (one Avro value per user in RocksDB, so fields can evolve
 * across savepoints), sends recommendations, profiles due on a side output and refused events to
 * the dead-letter output, counts, and guards the record boundary. Idle users expire after the state
 * TTL in event time: one pending timer per user, re-armed lazily when it fires on a user who has
 * been active since. State and timers are those of the keyed function this operator replaced, so
 * savepoints of earlier releases restore.
 */
final class InterestUpdateOperator extends AbstractStreamOperator<Recommendation>
    implements OneInputStreamOperator<SourcedEvent, Recommendation>,
        Triggerable<String, VoidNamespace> {
  static final OutputTag<InterestProfile> PROFILES =
      new OutputTag<>("profiles", new AvroTypeInfo<>(InterestProfile.class));
  static final ValueStateDescriptor<UserInterestState> STATE =
      new ValueStateDescriptor<>("user-interest", new AvroTypeInfo<>(UserInterestState.class));

  /**
   * A bundle also goes at this many events per user it may hold: a few active users sending many
   * events each still fill the model's rounds, while memory and the time to run a bundle stay
   * bounded.
   */
  private static final int EVENTS_PER_USER = 16;

  /** The timer service's name in state: the one Flink's keyed process operator used. */
  private static final String TIMERS = "user-timers";

  /** An event waiting in the bundle with the timestamp of its record. */
  private record Buffered(SourcedEvent in, long timestamp) {
    String userId() {
      return in.userId();
    }
  }

  private final JobSettings settings;
  private final InterestRules rules;
  private final long ttlMs;
  private final AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);

  private transient List<Buffered> bundle;
  private transient Set<String> bundleUsers;
  private transient boolean flushScheduled;
  private transient EventStep step;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient RecommendationMetrics metrics;
  private transient ValueState<UserInterestState> state;
  private transient OutcomeCounter eventsApplied;
  private transient OutcomeCounter profilesOut;
  private transient OutcomeCounter duplicates;
  private transient DeadLetterCounters deadLetters;
  private transient Counter usersExpired;
  private transient ProcessingFailures failures;

  InterestUpdateOperator(JobSettings settings, InterestRules rules) {
    this.settings = settings;
    this.rules = rules;
    this.ttlMs = settings.stateTtl().toMillis();
  }

  @Override
  public void open() throws Exception {
    super.open();
    bundle = new ArrayList<>(settings.bundleSize());
    bundleUsers = new HashSet<>();
    step = settings.eventStep(rules, settings.bundleSize());
    timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
    metrics =
        new RecommendationMetrics(getRuntimeContext(), step.modelVersion(), step.newCoverage());
    state = getPartitionedState(STATE);
    eventsApplied = OutcomeCounter.register(getRuntimeContext(), JobCounters.EVENTS_APPLIED);
    profilesOut = OutcomeCounter.register(getRuntimeContext(), JobCounters.PROFILES_OUT);
    duplicates = OutcomeCounter.register(getRuntimeContext(), JobCounters.DUPLICATES);
    deadLetters = new DeadLetterCounters(getRuntimeContext());
    usersExpired = getMetricGroup().counter("users-expired");
    failures = new ProcessingFailures(getRuntimeContext(), settings.failureLimit());
  }

  @Override
  public void processElement(StreamRecord<SourcedEvent> record) throws Exception {
    SourcedEvent in = record.getValue();
    bundle.add(new Buffered(in, record.getTimestamp()));
    bundleUsers.add(in.userId());
    if (bundleUsers.size() >= settings.bundleSize()
        || bundle.size() >= EVENTS_PER_USER * settings.bundleSize()) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      long due =
          getProcessingTimeService().getCurrentProcessingTime()
              + settings.bundleTimeout().toMillis();
      getProcessingTimeService().registerTimer(due, ignored -> flush());
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    // Outputs of events before the watermark go out before it, and before any timer it fires.
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  @Override
  public void close() throws Exception {
    try {
      if (step != null) {
        step.close();
      }
    } finally {
      super.close();
    }
  }

  /** Runs every buffered event, in rounds of one event per user, in arrival order per user. */
  private void flush() throws Exception {
    flushScheduled = false;
    List<Buffered> remaining = bundle;
    bundle = new ArrayList<>(settings.bundleSize());
    bundleUsers.clear();
    while (!remaining.isEmpty()) {
      List<Buffered> round = new ArrayList<>(remaining.size());
      List<Buffered> later = new ArrayList<>();
      Set<String> users = new HashSet<>();
      for (Buffered event : remaining) {
        (users.add(event.userId()) ? round : later).add(event);
      }
      runRound(round);
      remaining = later;
    }
  }

  private void runRound(List<Buffered> round) throws Exception {
    long now = System.currentTimeMillis();
    List<Buffered> begun = new ArrayList<>(round.size());
    List<EventStep.Pending> pending = new ArrayList<>(round.size());
    for (Buffered event : round) {
      setCurrentKey(event.userId());
      try {
        pending.add(step.begin(event.userId(), state.value(), event.in().event));
        begun.add(event);
      } catch (Exception e) {
        failed(event, e, now);
      }
    }
    List<EventStep.Result> results = step.complete(pending, now);
    for (int i = 0; i < begun.size(); i++) {
      settle(begun.get(i), results.get(i), now);
    }
  }

  /** Stores what an event did to its user and sends its outputs. */
  private void settle(Buffered event, EventStep.Result result, long now) throws Exception {
    if (result.failed()) {
      failed(event, result.failure(), now);
      return;
    }
    setCurrentKey(event.userId());
    if (result.applied()) {
      if (result.state().getExpiryTimer() == Long.MIN_VALUE) {
        armExpiry(result.state());
      }
      state.update(result.state());
    }
    failures.succeeded(now);
    emit(result, event);
  }

  /**
   * The record boundary: nothing one event holds may fail the job. The user's state was not
   * written, so the event has no effect beyond its dead letter.
   */
  private void failed(Buffered event, Exception e, long now) {
    deadLetter(event, DeadLetterReason.PROCESSING_FAILED, "processing failed: " + e);
    failures.failed(
        "event " + event.in().event.getEventId() + " of user " + event.userId(), e, now);
  }

  private void emit(EventStep.Result result, Buffered event) {
    SourcedEvent in = event.in();
    switch (result.outcome()) {
      case DUPLICATE -> duplicates.inc();
      case TOO_LATE -> deadLetter(event, DeadLetterReason.TOO_LATE, tooLate(in, result.state()));
      case APPLIED -> {
        metrics.inference(result.inferenceMicros(), result.batchSize());
        metrics.coverage(in.event.getItemId(), in.event.getScene());
        metrics.quality().record(result.previousRecommendation(), in.event.getItemId());
        for (Recommendation recommendation : result.recommendations()) {
          metrics.emitted(recommendation.getColdStart());
          output.collect(new StreamRecord<>(recommendation, event.timestamp()));
        }
        eventsApplied.inc();
        if (result.profile() != null) {
          output.collect(PROFILES, new StreamRecord<>(result.profile(), event.timestamp()));
          profilesOut.inc();
        }
      }
    }
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    UserInterestState user = state.value();
    if (user == null) {
      return;
    }
    if (user.getLatestEventTime() + ttlMs <= timer.getTimestamp()) {
      state.clear();
      usersExpired.inc();
    } else {
      armExpiry(user);
      state.update(user);
    }
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
    // Only event-time timers are registered with this service.
  }

  private void armExpiry(UserInterestState user) {
    long expiry = user.getLatestEventTime() + ttlMs;
    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, expiry);
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
  private void deadLetter(Buffered event, DeadLetterReason reason, String error) {
    SourcedEvent in = event.in();
    deadLetters.inc(reason);
    output.collect(
        DeadLetters.TAG,
        new StreamRecord<>(
            DeadLetters.of(
                codec.encode(in.event),
                in.topic,
                in.partition,
                in.offset,
                reason,
                error,
                System.currentTimeMillis()),
            event.timestamp()));
  }
}
