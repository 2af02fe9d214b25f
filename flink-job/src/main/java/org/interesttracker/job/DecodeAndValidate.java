package org.interesttracker.job;

import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.interest.SceneHalfLives;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serde.RecordDecodingException;

/**
 * Turns raw Kafka values into events. Whatever cannot be decoded or fails validation goes to the
 * {@link DeadLetters#TAG} side output with its raw bytes, origin and reason; nothing is dropped,
 * and no record, whatever it holds, makes this operator throw (short of the {@link FailureLimit}).
 */
final class DecodeAndValidate extends ProcessFunction<RawRecord, SourcedEvent> {
  private final AvroCodec<InteractionEvent> codec;
  private final EventValidator validator;
  private final SceneHalfLives halfLives;
  private final FailureLimit failureLimit;

  private transient OutcomeCounter eventsIn;
  private transient DeadLetterCounters deadLetters;
  private transient Counter newSceneEvents;
  private transient Counter unknownEventTypes;
  private transient ProcessingFailures failures;

  DecodeAndValidate(
      AvroCodec<InteractionEvent> codec,
      EventValidator validator,
      SceneHalfLives halfLives,
      FailureLimit failureLimit) {
    this.codec = codec;
    this.validator = validator;
    this.halfLives = halfLives;
    this.failureLimit = failureLimit;
  }

  @Override
  public void open(OpenContext openContext) {
    eventsIn = OutcomeCounter.register(getRuntimeContext(), JobCounters.EVENTS_IN);
    deadLetters = new DeadLetterCounters(getRuntimeContext());
    newSceneEvents = getRuntimeContext().getMetricGroup().counter("events-in-new-scene");
    unknownEventTypes = getRuntimeContext().getMetricGroup().counter("events-unknown-type");
    failures = new ProcessingFailures(getRuntimeContext(), failureLimit);
  }

  @Override
  public void processElement(RawRecord raw, Context context, Collector<SourcedEvent> out) {
    eventsIn.inc();
    long now = System.currentTimeMillis();
    Optional<SourcedEvent> accepted;
    try {
      accepted = accept(raw, now, context);
    } catch (Exception e) {
      // The record boundary: whatever a record holds, it fails alone.
      reject(raw, DeadLetterReason.PROCESSING_FAILED, "processing failed: " + e, now, context);
      failures.failed(origin(raw), e, now);
      return;
    }
    failures.succeeded(now);
    accepted.ifPresent(out::collect);
  }

  /** The decoded, valid event, or empty after dead-lettering the record. */
  private Optional<SourcedEvent> accept(RawRecord raw, long now, Context context) {
    InteractionEvent event;
    try {
      event = codec.decode(raw.value);
    } catch (RecordDecodingException e) {
      reject(raw, DeadLetterReason.UNDECODABLE, e.getMessage(), now, context);
      return Optional.empty();
    }
    Optional<EventValidator.Rejection> rejection = validator.check(event, now);
    if (rejection.isPresent()) {
      reject(raw, rejection.get().reason(), rejection.get().message(), now, context);
      return Optional.empty();
    }
    if (!halfLives.isConfigured(event.getScene())) {
      newSceneEvents.inc();
    }
    if (event.getEventType() == EventType.UNKNOWN) {
      unknownEventTypes.inc();
    }
    return Optional.of(new SourcedEvent(event, raw.topic, raw.partition, raw.offset));
  }

  private static String origin(RawRecord raw) {
    return "the record at " + raw.topic + "-" + raw.partition + " offset " + raw.offset;
  }

  private void reject(
      RawRecord raw, DeadLetterReason reason, String error, long now, Context context) {
    deadLetters.inc(reason);
    context.output(
        DeadLetters.TAG,
        DeadLetters.of(raw.value, raw.topic, raw.partition, raw.offset, reason, error, now));
  }
}
