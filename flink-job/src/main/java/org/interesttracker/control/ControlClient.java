package org.interesttracker.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.OperationsRecord;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serde.RecordDecodingException;

/**
 * Sends one request to the running job on its control topic and collects the answers on its
 * operations topic. Reading starts where the operations topic ended before the request was sent, so
 * no answer is missed however fast the job is, and without a consumer group nothing is committed.
 * Only committed answers count: under exactly-once an answer of an aborted transaction was undone
 * by the restore that aborted it, and the job answers again.
 */
public final class ControlClient {
  /** The key of every request: they all land in one partition and the job applies them in order. */
  public static final byte[] KEY = "control".getBytes(StandardCharsets.UTF_8);

  private static final Duration POLL = Duration.ofMillis(200);
  private static final AvroCodec<ControlRequest> REQUESTS = AvroCodec.of(ControlRequest.class);
  private static final AvroCodec<OperationsRecord> ANSWERS = AvroCodec.of(OperationsRecord.class);

  private final Map<String, Object> clientConfig;
  private final String controlTopic;
  private final String operationsTopic;

  public ControlClient(
      Map<String, Object> clientConfig, String controlTopic, String operationsTopic) {
    this.clientConfig = clientConfig;
    this.controlTopic = controlTopic;
    this.operationsTopic = operationsTopic;
  }

  /**
   * Sends {@code request} with a fresh request id and the current time, and waits for its answers:
   * one from each subtask, or for FORGET the one from the subtask that owns the user (or refuses).
   *
   * @param onAnswer receives each answer as it arrives
   * @return the answers, one per subtask, in the order they arrived
   * @throws IOException if the request cannot be written or not every answer came within {@code
   *     timeout}
   */
  public List<OperationsRecord> send(
      ControlRequest.Builder request, Duration timeout, Consumer<OperationsRecord> onAnswer)
      throws IOException {
    ControlRequest sent =
        request
            .setRequestId(UUID.randomUUID().toString())
            .setRequestedAt(System.currentTimeMillis())
            .build();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      seekToCommittedEnd(consumer);
      write(sent);
      return await(consumer, sent, timeout, onAnswer);
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> config = new HashMap<>(clientConfig);
    // Not overridable, unlike in consume: an uncommitted answer may still be undone.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "interest-tracker-control");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Positions every partition at its end now: {@code seekToEnd} would only look the end up at the
   * first poll, after the request went out, and could skip an answer written in between.
   */
  private void seekToCommittedEnd(KafkaConsumer<byte[], byte[]> consumer) throws IOException {
    List<TopicPartition> partitions =
        consumer.partitionsFor(operationsTopic).stream()
            .map(info -> new TopicPartition(operationsTopic, info.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new IOException("the topic " + operationsTopic + " has no partitions to read");
    }
    consumer.assign(partitions);
    consumer.endOffsets(partitions).forEach(consumer::seek);
  }

  private void write(ControlRequest request) throws IOException {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "interest-tracker-control");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(controlTopic, KEY, REQUESTS.encode(request))).get();
    } catch (ExecutionException e) {
      throw new IOException(
          "cannot write the request to " + controlTopic + ": " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing the request to " + controlTopic, e);
    }
  }

  private List<OperationsRecord> await(
      KafkaConsumer<byte[], byte[]> consumer,
      ControlRequest request,
      Duration timeout,
      Consumer<OperationsRecord> onAnswer)
      throws IOException {
    // By subtask: after a restore, at-least-once delivery can bring an instance's answer twice.
    Map<Integer, OperationsRecord> answers = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!complete(request, answers.values())) {
      if (System.nanoTime() - deadline >= 0) {
        throw new IOException(notAnswered(request, answers.values(), timeout));
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        answerTo(request, record)
            .filter(answer -> answers.putIfAbsent(answer.getSubtask(), answer) == null)
            .ifPresent(onAnswer);
      }
    }
    return List.copyOf(answers.values());
  }

  private static Optional<OperationsRecord> answerTo(
      ControlRequest request, ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return Optional.empty();
    }
    try {
      OperationsRecord answer = ANSWERS.decode(record.value());
      return answer.getRequestId().equals(request.getRequestId())
          ? Optional.of(answer)
          : Optional.empty();
    } catch (RecordDecodingException e) {
      // A record of a newer schema cannot be an answer to the request this version wrote.
      return Optional.empty();
    }
  }

  /** Only the subtask that owns the user answers a FORGET; every subtask answers the others. */
  private static boolean complete(ControlRequest request, Collection<OperationsRecord> answers) {
    if (answers.isEmpty()) {
      return false;
    }
    return request.getAction() == ControlAction.FORGET
        || answers.size() >= answers.iterator().next().getParallelism();
  }

  private String notAnswered(
      ControlRequest request, Collection<OperationsRecord> answers, Duration timeout) {
    String answered =
        answers.isEmpty()
            ? "no subtask answered"
            : answers.size()
                + " of "
                + answers.iterator().next().getParallelism()
                + " subtasks answered";
    return answered
        + " the "
        + request.getAction()
        + " request "
        + request.getRequestId()
        + " on "
        + operationsTopic
        + " within "
        + timeout.toSeconds()
        + " s; is the job running and reading "
        + controlTopic
        + "? Under exactly-once its answers appear only after its next checkpoint completes,"
        + " so --timeout must be longer than the checkpoint interval";
  }
}
