package org.interesttracker.job;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes each {@link OutboundRecord} to the topic it names, as it is. */
final class OutboundSerializer implements KafkaRecordSerializationSchema<OutboundRecord> {
  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      OutboundRecord record, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(record.topic, record.key, record.value);
  }
}
