package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.testing.AdversarialRecords;
import org.interesttracker.testing.FlinkAndKafkaTestBase;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.JobOutputs;
import org.interesttracker.testing.Jobs;
import org.interesttracker.testing.TopicContents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand adversarial records of every kind, interleaved with valid events, through the real
 * broker and job, exactly once. Restarts are switched off, so a single record that failed the job
 * would leave it FAILED rather than quietly restarting.
 */
class AdversarialInputITCase extends FlinkAndKafkaTestBase {
  private static final int VALID_EVENTS = 1_000;
  private static final int ADVERSARIAL_RECORDS = 10_000;
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final AvroCodec<InteractionEvent> CODEC = AvroCodec.of(InteractionEvent.class);

  @TempDir Path checkpoints;

  @Test
  void noRecordStopsTheJobAndEveryRecordEndsUpExactlyOnceWhereItBelongs() throws Exception {
    JobSettings settings = checkpointedRun(DeliveryGuarantee.EXACTLY_ONCE, checkpoints);
    List<InteractionEvent> valid = InteractionEvents.range(0, VALID_EVENTS);
    List<AdversarialRecords.Record> adversarial =
        AdversarialRecords.generate(11L, ADVERSARIAL_RECORDS);
    sendInterleaved(settings.inputTopic(), valid, adversarial);

    JobClient job = startWithoutRestarts(settings);
    JobOutputs outputs =
        JobOutputs.await(
            kafka.bootstrapServers(), settings, JobOutputs.expected(settings, valid), TIMEOUT);
    List<DeadLetter> letters =
        TopicContents.await(
            kafka.bootstrapServers(),
            settings.deadLetterTopic(),
            DeadLetter.class,
            ADVERSARIAL_RECORDS,
            TIMEOUT);
    JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
    Jobs.cancel(job);

    assertThat(status).isEqualTo(JobStatus.RUNNING);
    assertThat(outputs).isEqualTo(JobOutputs.expected(settings, valid));
    assertThat(rawAndReason(letters)).isEqualTo(expectedRawAndReason(adversarial));
    assertThat(letters).allSatisfy(letter -> assertThat(letter.getError()).isNotBlank());
  }

  /** Ten adversarial records before every valid event, all on the input topic. */
  private static void sendInterleaved(
      String topic, List<InteractionEvent> valid, List<AdversarialRecords.Record> adversarial) {
    int perValid = adversarial.size() / valid.size();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < valid.size(); i++) {
        for (AdversarialRecords.Record record :
            adversarial.subList(i * perValid, (i + 1) * perValid)) {
          producer.send(new ProducerRecord<>(topic, null, record.value()));
        }
        InteractionEvent event = valid.get(i);
        producer.send(
            new ProducerRecord<>(
                topic, event.getUserId().getBytes(StandardCharsets.UTF_8), CODEC.encode(event)));
      }
    }
  }

  private static JobClient startWithoutRestarts(JobSettings settings) throws Exception {
    Configuration noRestarts = new Configuration();
    noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(noRestarts);
    InterestTrackerJob.configure(env, settings);
    InterestTrackerJob.defineKafkaWorkflow(env, settings);
    return env.executeAsync("interest-tracker-adversarial-input");
  }

  /** How often each (raw bytes, reason) pair occurs: the dead letters as a multiset. */
  private static Map<String, Integer> rawAndReason(List<DeadLetter> letters) {
    List<String> pairs = new ArrayList<>();
    for (DeadLetter letter : letters) {
      byte[] raw = new byte[letter.getRaw().remaining()];
      letter.getRaw().get(raw);
      pairs.add(Base64.getEncoder().encodeToString(raw) + " " + letter.getReason());
    }
    return counts(pairs);
  }

  private static Map<String, Integer> expectedRawAndReason(
      List<AdversarialRecords.Record> adversarial) {
    List<String> pairs = new ArrayList<>();
    for (AdversarialRecords.Record record : adversarial) {
      // A record without a value is dead-lettered with empty bytes.
      byte[] raw = record.value() == null ? new byte[0] : record.value();
      pairs.add(Base64.getEncoder().encodeToString(raw) + " " + record.kind().reason);
    }
    return counts(pairs);
  }

  private static Map<String, Integer> counts(List<String> values) {
    Map<String, Integer> counts = new HashMap<>();
    values.forEach(value -> counts.merge(value, 1, Integer::sum));
    return counts;
  }
}
