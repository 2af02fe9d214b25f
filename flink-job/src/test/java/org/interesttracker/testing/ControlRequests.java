package org.interesttracker.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.OperationsRecord;
import org.interesttracker.control.ControlClient;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serde.RecordDecodingException;

/** Requests to a running job's control input, and its answers on the operations topic. */
public final class ControlRequests {
  private static final AvroCodec<ControlRequest> CODEC = AvroCodec.of(ControlRequest.class);

  private ControlRequests() {}

  public static ControlRequest of(ControlAction action, String modelVersion) {
    return ControlRequest.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setRequestedAt(System.currentTimeMillis())
        .setAction(action)
        .setModelVersion(modelVersion)
        .build();
  }

  public static ControlRequest publish(Path modelDir, String version, double canaryShare) {
    ControlRequest request = of(ControlAction.PUBLISH, version);
    request.setModelDir(modelDir.toString());
    request.setCanaryShare(canaryShare);
    return request;
  }

  public static ControlRequest forget(String userId) {
    ControlRequest request = of(ControlAction.FORGET, null);
    request.setUserId(userId);
    return request;
  }

  /** Sends a request and returns when the broker has it. */
  public static void send(String bootstrapServers, String topic, ControlRequest request) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, ControlClient.KEY, CODEC.encode(request)));
    }
  }

  /** The committed answers to a request, once {@code expected} of them arrived. */
  public static List<OperationsRecord> awaitAnswers(
      String bootstrapServers,
      String operationsTopic,
      ControlRequest request,
      int expected,
      Duration timeout)
      throws RecordDecodingException {
    return TopicContents.read(
            bootstrapServers,
            operationsTopic,
            OperationsRecord.class,
            records -> answersTo(records, request).size() >= expected,
            timeout)
        .stream()
        .filter(record -> record.getRequestId().equals(request.getRequestId()))
        .toList();
  }

  private static List<OperationsRecord> answersTo(
      List<OperationsRecord> records, ControlRequest request) {
    return records.stream()
        .filter(record -> record.getRequestId().equals(request.getRequestId()))
        .toList();
  }
}
