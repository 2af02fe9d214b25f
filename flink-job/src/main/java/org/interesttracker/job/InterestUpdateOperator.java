package org.interesttracker.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.OperationKind;
import org.interesttracker.avro.OperationsRecord;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.state.ServedModel;
import org.interesttracker.avro.state.ServingPlan;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.interest.EventStep;
import org.interesttracker.interest.InterestRules;
import org.interesttracker.lifecycle.ModelCheck;
import org.interesttracker.popularity.PopularityUpdate;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelCoverage;
import org.interesttracker.serving.ModelLoadException;

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
 *
 * <p>When the model blends live popularity, the broadcast input also carries the popularity
 * aggregation's updates, and each event's recommendations read the snapshot its time names ({@link
 * LivePopularityInput}); an event whose snapshot is not complete waits for the watermark that
 * completes it.
 */
final class InterestUpdateOperator extends AbstractStreamOperator<Recommendation>
    implements TwoInputStreamOperator<SourcedEvent, BroadcastInput, Recommendation>,
        Triggerable<String, VoidNamespace> {
  static final OutputTag<InterestProfile> PROFILES =
      new OutputTag<>("profiles", new AvroTypeInfo<>(InterestProfile.class));
  static final OutputTag<OutboundRecord> OUTBOUND =
      new OutputTag<>("outbound", TypeInformation.of(OutboundRecord.class));
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

  /**
   * An event waiting in the bundle with the timestamp of its record and the live-popularity
   * boundary its recommendations read ({@link #NO_LIVE_POPULARITY} without live popularity).
   */
  private record Buffered(SourcedEvent in, long timestamp, long popularityBoundary) {
    String userId() {
      return in.userId();
    }
  }

  private static final long NO_LIVE_POPULARITY = Long.MIN_VALUE;

  /** The timer service releasing events that wait for their popularity snapshot. */
  private static final String POPULARITY_RELEASES = "popularity-releases";

  /** An event begun by the step of the version serving its user. */
  private record Begun(Buffered event, EventStep step, EventStep.Pending pending) {}

  /** The events of a round one model call serves: one version, one popularity snapshot. */
  private record Call(EventStep step, long popularityBoundary) {}

  private final JobSettings settings;
  private final InterestRules rules;
  private final long ttlMs;
  private final AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
  private final AvroCodec<OperationsRecord> operationsCodec = AvroCodec.of(OperationsRecord.class);

  private transient List<Buffered> bundle;
  private transient Set<String> bundleUsers;
  private transient boolean flushScheduled;
  private transient int rebuildsLeft;
  private transient ModelControl models;
  private transient UserErasure erasure;
  private transient BroadcastState<String, ServingPlan> planState;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient RecommendationMetrics metrics;
  private transient ValueState<UserInterestState> state;
  private transient OutcomeCounter eventsApplied;
  private transient OutcomeCounter profilesOut;
  private transient OutcomeCounter duplicates;
  private transient DeadLetterCounters deadLetters;
  private transient Counter usersExpired;
  private transient Counter usersForgotten;
  private transient ProcessingFailures failures;
  private transient ListState<PopularityUpdate> popularityTableState;
  private transient LivePopularityInput livePopularity;

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
    ModelBundle startup = settings.loadModel();
    models =
        new ModelControl(
            planState,
            new ServedModel(startup.version(), settings.modelDir()),
            this::loadStep,
            getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
            getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(),
            getMetricGroup());
    timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
    metrics =
        new RecommendationMetrics(
            getRuntimeContext(),
            () -> models.models().plan().live().getVersion(),
            new ModelCoverage(startup));
    state = getPartitionedState(STATE);
    erasure =
        new UserErasure(
            settings,
            timers,
            getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks(),
            getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(),
            getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    eventsApplied = OutcomeCounter.register(getRuntimeContext(), JobCounters.EVENTS_APPLIED);
    profilesOut = OutcomeCounter.register(getRuntimeContext(), JobCounters.PROFILES_OUT);
    duplicates = OutcomeCounter.register(getRuntimeContext(), JobCounters.DUPLICATES);
    deadLetters = new DeadLetterCounters(getRuntimeContext());
    usersExpired = getMetricGroup().counter("users-expired");
    usersForgotten = getMetricGroup().counter("users-forgotten");
    failures = new ProcessingFailures(getRuntimeContext(), settings.failureLimit());
    if (settings.livePopularity() && startup.livePopularity().isPresent()) {
      livePopularity =
          new LivePopularityInput(
              startup.livePopularity().get(),
              popularityTableState,
              getPartitionedState(LivePopularityInput.WAITING),
              getInternalTimerService(
                  POPULARITY_RELEASES, VoidNamespaceSerializer.INSTANCE, new Releases()),
              getMetricGroup());
    }
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    planState = context.getOperatorStateStore().getBroadcastState(ModelControl.PLAN);
    popularityTableState =
        context.getOperatorStateStore().getUnionListState(LivePopularityInput.TABLE);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    if (livePopularity != null) {
      livePopularity.snapshot(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0);
    }
  }

  /** Loads, checks and readies a model version with this job's settings and state rules. */
  private EventStep loadStep(ServedModel model) {
    ModelBundle bundle = ModelCheck.load(model, settings.historyLength());
    if (livePopularity != null) {
      ModelCheck.requireLivePopularity(bundle, livePopularity.rule());
    }
    try {
      return settings.eventStep(bundle, rules, settings.bundleSize());
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(bundle.location() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void processElement1(StreamRecord<SourcedEvent> record) throws Exception {
    SourcedEvent in = record.getValue();
    long popularityBoundary = NO_LIVE_POPULARITY;
    if (livePopularity != null) {
      popularityBoundary = livePopularity.boundaryFor(in);
      if (popularityBoundary == LivePopularityInput.WAITS) {
        return;
      }
    }
    buffer(new Buffered(in, record.getTimestamp(), popularityBoundary));
  }

  private void buffer(Buffered event) throws Exception {
    SourcedEvent in = event.in();
    bundle.add(event);
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

  /**
   * A control request applies between events: those before it are finished with the plan they began
   * with, those after it see what it changed.
   */
  @Override
  public void processElement2(StreamRecord<BroadcastInput> record) throws Exception {
    if (record.getValue().popularity != null) {
      livePopularity.add(record.getValue().popularity);
      return;
    }
    flush();
    ControlRequest request = record.getValue().control;
    if (request.getAction() == ControlAction.FORGET) {
      forget(request, record.getTimestamp());
      return;
    }
    operations(models.handle(request, metrics.qualityByVersion()), record.getTimestamp());
  }

  /**
   * Forgets a user on the instance that owns the key: state, timer, tombstones and the audit
   * record. All are part of the same checkpoint, and under exactly-once the tombstones and the
   * audit record are in one transaction; a restore from an earlier checkpoint replays the request
   * and erases again.
   */
  private void forget(ControlRequest request, long timestamp) throws Exception {
    String userId = request.getUserId();
    if (userId == null || userId.isBlank()) {
      if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
        answer(
            request, OperationKind.REQUEST_REFUSED, "a FORGET request needs a user_id", timestamp);
      }
      return;
    }
    if (!erasure.owns(userId)) {
      return;
    }
    setCurrentKey(userId);
    String erased = erasure.erase(state.value());
    state.clear();
    usersForgotten.inc();
    for (OutboundRecord tombstone : erasure.tombstones(userId)) {
      output.collect(OUTBOUND, new StreamRecord<>(tombstone, timestamp));
    }
    answer(request, OperationKind.USER_FORGOTTEN, erased, timestamp);
  }

  private void answer(ControlRequest request, OperationKind kind, String detail, long timestamp) {
    operations(models.answer(request, kind, detail, List.of()), timestamp);
  }

  /** Sends an operations record, keyed by its request id. */
  private void operations(OperationsRecord record, long timestamp) {
    output.collect(
        OUTBOUND,
        new StreamRecord<>(
            new OutboundRecord(
                settings.operationsTopic(),
                record.getRequestId().getBytes(StandardCharsets.UTF_8),
                operationsCodec.encode(record)),
            timestamp));
  }

  /**
   * Outputs of events before the watermark go out before it, and before any timer it fires; so do
   * those of the events its timers release for their popularity snapshot. (What {@code
   * super.processWatermark} does without interruptible timers, with a flush between.)
   */
  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    if (timeServiceManager != null) {
      timeServiceManager.advanceWatermark(mark);
    }
    flush();
    if (livePopularity != null) {
      livePopularity.watermark(mark.getTimestamp());
    }
    output.emitWatermark(mark);
  }

  /** Releases a user's events whose popularity snapshot the watermark has completed. */
  private final class Releases implements Triggerable<String, VoidNamespace> {
    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
      for (SourcedEvent in : livePopularity.release()) {
        buffer(new Buffered(in, in.event.getTimestamp(), livePopularity.readBoundary(in)));
      }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
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
      if (models != null) {
        models.close();
      }
    } finally {
      super.close();
    }
  }

  /** Runs every buffered event, in rounds of one event per user, in arrival order per user. */
  private void flush() throws Exception {
    flushScheduled = false;
    rebuildsLeft = settings.switchRebuildsPerBundle();
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
    // One model call per version and popularity snapshot: a canary splits the round's users
    // between two versions, and events a little out of order may read different snapshots.
    Map<Call, List<Begun>> byCall = new LinkedHashMap<>();
    for (Buffered event : round) {
      setCurrentKey(event.userId());
      try {
        UserInterestState user = state.value();
        EventStep step = stepFor(event.userId(), user);
        Begun begun = new Begun(event, step, step.begin(event.userId(), user, event.in().event));
        byCall
            .computeIfAbsent(
                new Call(step, event.popularityBoundary()), ignored -> new ArrayList<>())
            .add(begun);
      } catch (Exception e) {
        failed(event, e, now);
      }
    }
    for (Map.Entry<Call, List<Begun>> group : byCall.entrySet()) {
      List<Begun> begun = group.getValue();
      EventStep step = group.getKey().step();
      if (group.getKey().popularityBoundary() != NO_LIVE_POPULARITY) {
        livePopularity.use(step, group.getKey().popularityBoundary());
      }
      List<EventStep.Result> results =
          step.complete(begun.stream().map(Begun::pending).toList(), now);
      for (int i = 0; i < begun.size(); i++) {
        settle(begun.get(i).event(), begun.get(i).step(), results.get(i), now);
      }
    }
  }

  /**
   * The step of the version the plan gives the user, unless the user's vectors are of another
   * version still loaded and this bundle has rebuilt its share of users already: then that version
   * serves the user once more. A switch's rebuilds (up to L model steps a user) spread over bundles
   * instead of all falling on the first ones after it.
   */
  private EventStep stepFor(String userId, UserInterestState user) {
    EventStep planned = models.models().stepFor(userId);
    String cached = user == null || user.getModelState() == null ? null : user.getModelVersion();
    if (cached == null || cached.equals(planned.modelVersion())) {
      return planned;
    }
    EventStep kept = models.models().step(cached);
    if (rebuildsLeft > 0 || kept == null) {
      rebuildsLeft--;
      return planned;
    }
    return kept;
  }

  /** Stores what an event did to its user and sends its outputs. */
  private void settle(Buffered event, EventStep step, EventStep.Result result, long now)
      throws Exception {
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
    emit(result, event, step.modelVersion());
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

  private void emit(EventStep.Result result, Buffered event, String version) {
    SourcedEvent in = event.in();
    switch (result.outcome()) {
      case DUPLICATE -> duplicates.inc();
      case TOO_LATE -> deadLetter(event, DeadLetterReason.TOO_LATE, tooLate(in, result.state()));
      case APPLIED -> {
        metrics.inference(result.inferenceMicros(), result.batchSize());
        metrics.coverage(in.event.getItemId(), in.event.getScene());
        metrics.quality(
            version, result.previousRecommendation(), result.popularBefore(), in.event.getItemId());
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
