package org.interesttracker.job;

/**
 * A record value as read from Kafka, with where it came from, so that anything the job cannot use
 * goes to the dead-letter topic exactly as it arrived. A Flink POJO (public fields, no-arg
 * constructor) so it is serialized without Kryo.
 */
public final class RawRecord {
  public byte[] value;
  public String topic;
  public int partition;
  public long offset;

  public RawRecord() {}

  public RawRecord(byte[] value, String topic, int partition, long offset) {
    this.value = value;
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }
}
