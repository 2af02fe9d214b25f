package org.interesttracker.job;

import java.nio.ByteBuffer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.DeadLetterReason;

/** The side output every operator sends refused input to, and how a dead letter is made. */
public final class DeadLetters {
  public static final OutputTag<DeadLetter> TAG =
      new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

  private DeadLetters() {}

  public static DeadLetter of(
      byte[] raw,
      String topic,
      int partition,
      long offset,
      DeadLetterReason reason,
      String error,
      long now) {
    return DeadLetter.newBuilder()
        .setRaw(ByteBuffer.wrap(raw == null ? new byte[0] : raw))
        .setSourceTopic(topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setReason(reason)
        .setError(error)
        .setDeadLetterTime(now)
        .build();
  }
}
