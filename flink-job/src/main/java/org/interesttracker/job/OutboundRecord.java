package org.interesttracker.job;

/**
 * A Kafka record the job writes beside its per-event outputs: an operations or audit record, or a
 * tombstone (null value) for a forgotten user's key. One sink writes them all, so under
 * exactly-once an erasure's tombstones and its audit record are in one transaction. A Flink POJO.
 */
public final class OutboundRecord {
  public String topic;
  public byte[] key;
  public byte[] value;

  public OutboundRecord() {}

  public OutboundRecord(String topic, byte[] key, byte[] value) {
    this.topic = topic;
    this.key = key;
    this.value = value;
  }
}
