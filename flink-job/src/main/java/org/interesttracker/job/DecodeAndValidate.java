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
 * {@link DeadLetters#TAG} side output with its raw bytes, origin and reason; nothing is dropped and
 * nothing throws.
 */
final class DecodeAndValidate extends ProcessFunction<RawRecord, SourcedEvent> {
  private final AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
  private final EventValidator validator;
  private final SceneHalfLives halfLives;

  private transient OutcomeCounter eventsIn;
  private transient DeadLetterCounters deadLetters;
  private transient Counter newSceneEvents;
  private transient Counter unknownEventTypes;

  DecodeAndValidate(EventValidator validator, SceneHalfLives halfLives) {
    this.validator = validator;
    this.halfLives = halfLives;
  }

  @Override
  public void open(OpenContext openContext) {
    eventsIn = OutcomeCounter.register(getRuntimeContext(), JobCounters.EVENTS_IN);
    deadLetters = new DeadLetterCounters(getRuntimeContext());
    newSceneEvents = getRuntimeContext().getMetricGroup().counter("events-in-new-scene");
    unknownEventTypes = getRuntimeContext().getMetricGroup().counter("events-unknown-type");
  }

  @Override
  public void processElement(RawRecord raw, Context context, Collector<SourcedEvent> out) {
    eventsIn.inc();
    long now = System.currentTimeMillis();
    InteractionEvent event;
    try {
      event = codec.decode(raw.value);
    } catch (RecordDecodingException e) {
      reject(raw, DeadLetterReason.UNDECODABLE, e.getMessage(), now, context);
      return;
    }
    Optional<EventValidator.Rejection> rejection = validator.check(event, now);
    if (rejection.isPresent()) {
      reject(raw, rejection.get().reason(), rejection.get().message(), now, context);
      return;
    }
    if (!halfLives.isConfigured(event.getScene())) {
      newSceneEvents.inc();
    }
    if (event.getEventType() == EventType.UNKNOWN) {
      unknownEventTypes.inc();
    }
    out.collect(new SourcedEvent(event, raw.topic, raw.partition, raw.offset));
  }

  private void reject(
      RawRecord raw, DeadLetterReason reason, String error, long now, Context context) {
    deadLetters.inc(reason);
    context.output(
        DeadLetters.TAG,
        DeadLetters.of(raw.value, raw.topic, raw.partition, raw.offset, reason, error, now));
  }
}
