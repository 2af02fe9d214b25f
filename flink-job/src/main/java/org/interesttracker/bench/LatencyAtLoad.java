package org.interesttracker.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.job.JobSettings;
import org.interesttracker.local.LatencyPercentiles;
import org.interesttracker.local.LatencyRecorder;
import org.interesttracker.replay.KafkaEventReplayer;
import org.interesttracker.replay.ReplaySettings;
import org.interesttracker.serde.AvroCodec;

/**
 * Latency from the moment an event is handed to Kafka until its first recommendation is read back,
 * with events arriving at a fixed rate into a job that is already running and warm. The events are
 * sent under new ids and moved forward in time past everything the job has seen, so each is new to
 * the job; the first {@value #WARM_UP_SHARE} of them are left out.
 */
final class LatencyAtLoad {
  private static final double WARM_UP_SHARE = 0.2;
  private static final Duration DRAIN = Duration.ofSeconds(60);
  private static final AvroCodec<Recommendation> RECOMMENDATIONS =
      AvroCodec.of(Recommendation.class);

  private LatencyAtLoad() {}

  /**
   * @param latency send to first recommendation of the events timed
   * @param unanswered events timed whose recommendation was not read within a minute of the last
   *     send: the job fell behind the rate
   * @param acrossSwitch the timed events before and after a model switch, if one was made
   */
  record Figures(LatencyPercentiles latency, int unanswered, SwitchFigures acrossSwitch) {}

  /**
   * The timed events sent before a model switch and those sent after it, each with the process's
   * CPU time per event: from the first timed send to the switch, and from the switch until every
   * event is answered (so the rebuilds a switch causes are counted however late they run).
   */
  record SwitchFigures(
      LatencyPercentiles before,
      LatencyPercentiles after,
      double cpuMicrosPerEventBefore,
      double cpuMicrosPerEventAfter) {}

  static Figures measure(
      String bootstrapServers,
      JobSettings settings,
      List<EventLogRecord> events,
      long seenUntilMs,
      double eventsPerSecond)
      throws Exception {
    return measure(bootstrapServers, settings, events, seenUntilMs, eventsPerSecond, null);
  }

  /**
   * As {@link #measure(String, JobSettings, List, long, double)}, with {@code modelSwitch} run (on
   * its own thread, so the pace holds) when the timed events are half sent.
   */
  static Figures measure(
      String bootstrapServers,
      JobSettings settings,
      List<EventLogRecord> events,
      long seenUntilMs,
      double eventsPerSecond,
      Runnable modelSwitch)
      throws Exception {
    List<EventLogRecord> later = after(events, seenUntilMs);
    int warmUp = (int) (later.size() * WARM_UP_SHARE);
    Phases phases = new Phases(warmUp, warmUp + (later.size() - warmUp) / 2, modelSwitch);
    LatencyRecorder recorder = phases.all;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      consumer.subscribe(List.of(settings.recommendationTopic()));
      // Joined and positioned at the end before the first event goes out.
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(50));
      }
      consumer.seekToEnd(consumer.assignment());
      consumer.assignment().forEach(consumer::position);
      Thread sender =
          new Thread(
              () -> replay(bootstrapServers, settings, later, eventsPerSecond, phases),
              "latency-replay");
      sender.setUncaughtExceptionHandler((thread, error) -> failure.set(error));
      sender.start();
      long drainUntil = Long.MAX_VALUE;
      while (System.nanoTime() < drainUntil) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
          long now = System.nanoTime();
          phases.received(RECOMMENDATIONS.decode(record.value()).getEventId(), now);
        }
        if (!sender.isAlive() && drainUntil == Long.MAX_VALUE) {
          drainUntil = System.nanoTime() + DRAIN.toNanos();
        }
        if (!sender.isAlive() && recorder.pending() == 0) {
          break;
        }
      }
      sender.join();
      phases.answered();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the paced replay failed", failure.get());
    }
    return new Figures(recorder.percentiles(), recorder.pending(), phases.acrossSwitch());
  }

  /** Which recorder times an event, and the switch half-way through the timed events. */
  private static final class Phases {
    private final OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final LatencyRecorder all = new LatencyRecorder();
    private final LatencyRecorder before = new LatencyRecorder();
    private final LatencyRecorder after = new LatencyRecorder();
    private final int warmUp;
    private final int switchAt;
    private final Runnable modelSwitch;
    private final long[] cpuNanos = new long[3];
    private CompletableFuture<Void> switched;
    private int last;

    Phases(int warmUp, int switchAt, Runnable modelSwitch) {
      this.warmUp = warmUp;
      this.switchAt = switchAt;
      this.modelSwitch = modelSwitch;
    }

    /** Called on the sending thread for each event, in order. */
    void sent(int index, String eventId, long sendNanos) {
      last = index;
      if (index < warmUp) {
        return;
      }
      if (index == warmUp) {
        cpuNanos[0] = os.getProcessCpuTime();
      }
      if (index == switchAt) {
        cpuNanos[1] = os.getProcessCpuTime();
        if (modelSwitch != null) {
          switched = CompletableFuture.runAsync(modelSwitch);
        }
      }
      all.sent(eventId, sendNanos);
      (index < switchAt ? before : after).sent(eventId, sendNanos);
    }

    /** Every timed event answered (or the drain timed out): the switch's cost is all spent. */
    void answered() {
      cpuNanos[2] = os.getProcessCpuTime();
    }

    void received(String eventId, long receiveNanos) {
      all.received(eventId, receiveNanos);
      before.received(eventId, receiveNanos);
      after.received(eventId, receiveNanos);
    }

    SwitchFigures acrossSwitch() {
      if (modelSwitch == null) {
        return null;
      }
      switched.join(); // throws if the switch failed: figures without one would mislead
      return new SwitchFigures(
          before.percentiles(),
          after.percentiles(),
          (cpuNanos[1] - cpuNanos[0]) / 1e3 / (switchAt - warmUp),
          (cpuNanos[2] - cpuNanos[1]) / 1e3 / (last + 1 - switchAt));
    }
  }

  /** The events moved forward so that the first comes a day after {@code seenUntilMs}. */
  private static List<EventLogRecord> after(List<EventLogRecord> events, long seenUntilMs) {
    long first = events.stream().mapToLong(EventLogRecord::timestampMs).min().orElseThrow();
    long shift = seenUntilMs - first + Duration.ofDays(1).toMillis();
    return events.stream()
        .map(
            e ->
                new EventLogRecord(
                    e.timestampMs() + shift, e.userId(), e.itemId(), e.scene(), e.eventType()))
        .toList();
  }

  /** Sends at the rate; only events after the warm-up are timed. */
  private static void replay(
      String bootstrapServers,
      JobSettings settings,
      List<EventLogRecord> events,
      double eventsPerSecond,
      Phases phases) {
    String prefix = "latency-" + UUID.randomUUID();
    ReplaySettings paced =
        new ReplaySettings(settings.inputTopic(), prefix, eventsPerSecond, 0.0, 0.0, 0L);
    try (KafkaEventReplayer replayer =
        new KafkaEventReplayer(
            paced,
            // Not idempotent: the in-process broker can hand this producer the id of the one that
            // pre-loaded the topic, and would then refuse its sequence numbers as out of order.
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                false,
                // Batches of at most a millisecond: the time measured is the job's, not the
                // sender's batching (5 ms by default).
                ProducerConfig.LINGER_MS_CONFIG,
                1),
            (eventId, sendNanos) ->
                phases.sent(
                    Integer.parseInt(eventId.substring(prefix.length() + 1)),
                    eventId,
                    sendNanos))) {
      replayer.replay(events.iterator());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "latency-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "latest"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
