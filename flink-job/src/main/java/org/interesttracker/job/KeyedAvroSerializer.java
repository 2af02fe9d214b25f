package org.interesttracker.job;

import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.interesttracker.serde.AvroCodec;

/**
 * Writes records as Avro single-object values, keyed by a string field (or unkeyed). The Kafka
 * timestamp is left to the producer (the wall clock), not set to the event time: a replay of old
 * events would otherwise write records the broker's time-based retention deletes at once. The event
 * time travels inside each record.
 */
final class KeyedAvroSerializer<T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T> {
  private final String topic;
  private final AvroCodec<T> codec;
  private final KeySelector<T, String> key;

  KeyedAvroSerializer(String topic, Class<T> type, KeySelector<T, String> key) {
    this.topic = topic;
    this.codec = AvroCodec.of(type);
    this.key = key;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    try {
      String keyValue = key.getKey(element);
      byte[] keyBytes = keyValue == null ? null : keyValue.getBytes(StandardCharsets.UTF_8);
      return new ProducerRecord<>(topic, keyBytes, codec.encode(element));
    } catch (Exception e) {
      throw new IllegalStateException("cannot serialize a record for topic " + topic, e);
    }
  }
}
