package org.interesttracker.job;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.serde.AvroCodec;

/**
 * Turns raw values of the control topic into requests; one that cannot be decoded goes to the
 * dead-letter output with its bytes and origin, as an undecodable event does.
 */
final class DecodeControl extends ProcessFunction<RawRecord, ControlRequest> {
  private final AvroCodec<ControlRequest> codec = AvroCodec.of(ControlRequest.class);

  @Override
  public void processElement(RawRecord raw, Context context, Collector<ControlRequest> out) {
    ControlRequest request;
    try {
      request = codec.decode(raw.value);
    } catch (Exception e) {
      context.output(
          DeadLetters.TAG,
          DeadLetters.of(
              raw.value,
              raw.topic,
              raw.partition,
              raw.offset,
              DeadLetterReason.UNDECODABLE,
              "not a ControlRequest: " + e.getMessage(),
              System.currentTimeMillis()));
      return;
    }
    out.collect(request);
  }
}
