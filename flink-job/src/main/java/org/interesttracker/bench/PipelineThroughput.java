package org.interesttracker.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.job.InterestTrackerJob;
import org.interesttracker.job.JobSettings;
import org.interesttracker.job.PassThroughWorkflow;
import org.interesttracker.local.EmbeddedKafkaBroker;
import org.interesttracker.local.LatencyPercentiles;
import org.interesttracker.local.LoopbackOnly;
import org.interesttracker.local.TemporaryCheckpoints;
import org.interesttracker.replay.EventSendListener;
import org.interesttracker.replay.KafkaEventReplayer;
import org.interesttracker.replay.ReplaySettings;

/**
 * Steady-state throughput and CPU cost of a job graph as it runs in production, all in this
 * process: the events are first written to an embedded Kafka broker, then the job (RocksDB,
 * checkpoints on) reads them as fast as it can. Its outputs are counted on the recommendation
 * topic; the first {@value #WARM_UP_SHARE} of them (start-up, JIT compilation) and the last stretch
 * are left out, and both the rate and this process's CPU time per event (broker, job and reader
 * together: everything an event costs here) are taken over the rest. Then, for the whole job, the
 * warm job gets events at half that rate for about {@value #LATENCY_SECONDS} seconds, and the
 * latency of each from send to recommendation is measured ({@link LatencyAtLoad}).
 */
final class PipelineThroughput {
  private static final double WARM_UP_SHARE = 0.3;
  private static final double END_SHARE = 0.95;
  private static final Duration TIMEOUT = Duration.ofMinutes(20);
  private static final int LATENCY_SECONDS = 20;

  /** Which graph runs. */
  enum Workflow {
    /** Decode, keyBy, encode, sink: the price of moving data through Kafka and Flink. */
    PASS_THROUGH,
    /** The whole job. */
    FULL
  }

  /**
   * @param eventsPerSecond outputs per second in the measured window
   * @param cpuMicrosPerEvent CPU time of the whole process per output in that window
   * @param events outputs in the window
   * @param latencyRate events per second sent for the latency measurement: half the maximum
   * @param latency send to recommendation at that rate; null for the pass-through job
   * @param latencyUnanswered events of the latency run without a recommendation a minute after the
   *     last send; null for the pass-through job
   * @param acrossSwitch latency and CPU before and after a model switch, if one was measured
   */
  public record Measurement(
      double eventsPerSecond,
      double cpuMicrosPerEvent,
      int events,
      Double latencyRate,
      LatencyPercentiles latency,
      Integer latencyUnanswered,
      LatencyAtLoad.SwitchFigures acrossSwitch) {}

  private PipelineThroughput() {}

  /** Throughput, and for the whole job the latency at half of it. */
  static Measurement measure(
      List<EventLogRecord> events, JobSettings.Builder job, Workflow workflow) throws Exception {
    return measure(events, job, workflow, workflow == Workflow.FULL, false);
  }

  /**
   * Throughput, then latency and CPU per event at half of it with a model switch half-way: a copy
   * of the job's model under another version is published and promoted, so that every user's next
   * event rebuilds their vectors with it.
   */
  static LatencyAtLoad.SwitchFigures acrossModelSwitch(
      List<EventLogRecord> events, JobSettings.Builder job) throws Exception {
    return measure(events, job, Workflow.FULL, true, true).acrossSwitch();
  }

  /** Throughput only. */
  static Measurement throughput(
      List<EventLogRecord> events, JobSettings.Builder job, Workflow workflow) throws Exception {
    return measure(events, job, workflow, false, false);
  }

  private static Measurement measure(
      List<EventLogRecord> events,
      JobSettings.Builder job,
      Workflow workflow,
      boolean latency,
      boolean modelSwitch)
      throws Exception {
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start()) {
      JobSettings settings = job.bootstrapServers(broker.bootstrapServers()).build();
      broker.createTopics(settings.parallelism(), settings.topics().toArray(String[]::new));
      try (KafkaEventReplayer replayer =
          new KafkaEventReplayer(
              ReplaySettings.plain(settings.inputTopic(), "bench"),
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              EventSendListener.NONE)) {
        replayer.replay(events.iterator());
      }
      Configuration cluster = new Configuration();
      LoopbackOnly.apply(cluster);
      TemporaryCheckpoints.setIfUnset(cluster, settings);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(cluster);
      InterestTrackerJob.configure(env, settings);
      if (workflow == Workflow.FULL) {
        InterestTrackerJob.defineKafkaWorkflow(env, settings);
      } else {
        PassThroughWorkflow.define(env, settings);
      }
      JobClient client = env.executeAsync(InterestTrackerJob.JOB_NAME + "-" + workflow);
      try {
        Measurement throughput =
            steadyState(broker.bootstrapServers(), settings.recommendationTopic(), events.size());
        if (!latency) {
          return throughput;
        }
        double rate = throughput.eventsPerSecond() / 2;
        List<EventLogRecord> paced =
            events.subList(0, Math.min(events.size(), (int) (rate * LATENCY_SECONDS)));
        long seenUntil = events.stream().mapToLong(EventLogRecord::timestampMs).max().orElseThrow();
        LatencyAtLoad.Figures atHalf =
            LatencyAtLoad.measure(
                broker.bootstrapServers(),
                settings,
                paced,
                seenUntil,
                rate,
                modelSwitch ? ModelSwitch.of(broker.bootstrapServers(), settings) : null);
        return new Measurement(
            throughput.eventsPerSecond(),
            throughput.cpuMicrosPerEvent(),
            throughput.events(),
            rate,
            atHalf.latency(),
            atHalf.unanswered(),
            atHalf.acrossSwitch());
      } finally {
        client.cancel().get();
      }
    }
  }

  private static Measurement steadyState(String bootstrapServers, String topic, int expected) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    int windowStart = (int) (expected * WARM_UP_SHARE);
    int windowEnd = (int) (expected * END_SHARE);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      int read = 0;
      int readAtStart = -1;
      long startNanos = 0;
      long startCpu = 0;
      while (read < windowEnd) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + read + " of " + expected + " outputs within " + TIMEOUT);
        }
        read += consumer.poll(Duration.ofMillis(20)).count();
        if (readAtStart < 0 && read >= windowStart) {
          readAtStart = read;
          startNanos = System.nanoTime();
          startCpu = os.getProcessCpuTime();
        }
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      double cpuMicros = (os.getProcessCpuTime() - startCpu) / 1e3;
      int measured = read - readAtStart;
      // What comes next (the latency run) starts on an idle job, not behind the last outputs.
      while (read < expected && System.nanoTime() < deadline) {
        read += consumer.poll(Duration.ofMillis(20)).count();
      }
      if (measured == 0) {
        throw new IllegalStateException(
            "every output of the window arrived in one poll: too few events ("
                + expected
                + ") to measure a steady state");
      }
      return new Measurement(
          measured / seconds, cpuMicros / measured, measured, null, null, null, null);
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "benchmark-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            // Small polls: the window's edges fall within a hundred outputs of where they belong.
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            100),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
