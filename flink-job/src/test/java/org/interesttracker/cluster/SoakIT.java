package org.interesttracker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.job.JobSettings;
import org.interesttracker.local.SteadyStateRate;
import org.interesttracker.replay.KafkaEventReplayer;
import org.interesttracker.replay.ReplaySettings;
import org.interesttracker.testing.OutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on the local cluster for a long while at half the rate it can take, measured at the start
 * of the same run: a backlog of events is drained as fast as the job goes, then events arrive at
 * half that rate for {@code soak.minutes} (30 unless the property says otherwise; the build runs a
 * short soak). Every {@value #SAMPLE_SECONDS} s it samples the TaskManagers' heap after garbage
 * collection, RocksDB's live data, the latest checkpoint, back pressure, the end-to-end latency and
 * how far the outputs are behind the inputs. It passes when none of these grows (see {@link
 * #FIGURES}), every event's recommendation was read exactly once, and a sample of users got exactly
 * what a sequential pass over their events gives. The table is printed; the samples go to {@code
 * soak.output} as JSON and a PNG plot.
 */
class SoakIT {
  private static final Duration DURATION = Duration.ofMinutes(Long.getLong("soak.minutes", 30));
  private static final long BACKLOG = Long.getLong("soak.backlog", 400_000);
  private static final Path OUTPUT = Path.of(System.getProperty("soak.output", "target/soak"));
  private static final int SAMPLE_SECONDS = 10;
  // Samples of the first fifth are JIT compilation, caches and the garbage collector settling.
  private static final double WARM_UP_SHARE = 0.2;
  private static final int PARALLELISM = 4;
  // Event times are spread so that no event reaches past the submission time below this rate.
  private static final double HIGHEST_RATE_EXPECTED = 100_000;
  private static final int SAMPLED_USER_EVERY = SoakEvents.USERS / 10;
  private static final Duration DRAIN = Duration.ofMinutes(10);

  @TempDir Path runDir;

  @Test
  void staysFlatAtHalfTheMaximumRate() throws Exception {
    assumeTrue(LocalCluster.isBuilt(), "the cluster's jars are gathered by mvn package");
    try (LocalCluster cluster = LocalCluster.start(runDir)) {
      JobSettings settings = settings(cluster);
      OwnTopics.create(cluster, settings, PARALLELISM);
      SoakIds ids = new SoakIds(BACKLOG);
      long capacity = BACKLOG + (long) (HIGHEST_RATE_EXPECTED / 2 * DURATION.toSeconds());
      SoakEvents events = new SoakEvents(System.currentTimeMillis(), capacity);
      SoakLedger ledger = new SoakLedger();
      List<Recommendation> sampled = Collections.synchronizedList(new ArrayList<>());
      try (RecommendationFeed committed =
          new RecommendationFeed(
              cluster.bootstrapServers(),
              settings.recommendationTopic(),
              "read_committed",
              recommendation -> {
                long number = ids.number(recommendation.getEventId().toString());
                ledger.answered(number, System.nanoTime());
                if (number % SoakEvents.USERS % SAMPLED_USER_EVERY == 0) {
                  sampled.add(recommendation);
                }
              })) {
        replay(
            cluster, settings, ReplaySettings.AS_FAST_AS_POSSIBLE, events, ids, ledger, 0, BACKLOG);
        String jobId = cluster.submit(settings, Optional.empty(), List.of());
        double maximum = maximumRate(cluster, settings);
        awaitAnswered(ledger::answered, BACKLOG);

        double rate = maximum / 2;
        long paced = (long) (rate * DURATION.toSeconds());
        assertThat(BACKLOG + paced).isLessThanOrEqualTo(capacity);
        List<SoakSample> samples = new ArrayList<>();
        ClusterGauges gauges = new ClusterGauges(cluster);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        ledger.takeWindow();
        ScheduledFuture<?> sampling =
            sampler.scheduleAtFixedRate(
                () ->
                    samples.add(
                        new SoakSample(
                            (System.nanoTime() - start) / 1e9,
                            ledger.sent() - BACKLOG,
                            ledger.answered() - BACKLOG,
                            ledger.takeWindow(),
                            gauges.read(jobId))),
                SAMPLE_SECONDS,
                SAMPLE_SECONDS,
                TimeUnit.SECONDS);
        replay(cluster, settings, rate, events, ids, ledger, BACKLOG, paced);
        if (sampling.isDone()) {
          sampling.get(); // throws what stopped the sampling
        }
        sampler.shutdown();
        assertThat(sampler.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        awaitAnswered(ledger::answered, BACKLOG + paced);

        int warmUp = (int) (samples.size() * WARM_UP_SHARE);
        List<SoakSample> steady = samples.subList(warmUp, samples.size());
        List<FlatFigure> figures = figures(rate);
        SoakReport report =
            new SoakReport(
                DURATION.toSeconds(),
                maximum,
                rate,
                warmUp * (double) SAMPLE_SECONDS,
                samples,
                figures.stream().map(figure -> figure.judge(steady)).toList());
        report.print(System.out);
        report.write(OUTPUT, figures);

        assertThat(cluster.failures(jobId)).as("job failures").isEmpty();
        assertThat(ledger.repeats()).as("recommendations read twice").isZero();
        assertThat(ledger.answered()).as("events answered").isEqualTo(BACKLOG + paced);
        assertThat(report.results())
            .allSatisfy(result -> assertThat(result.isFlat()).as(result.toString()).isTrue());
        assertSampledUsersAsSequentialPass(settings, events, ids, BACKLOG + paced, sampled);
      }
    }
  }

  /**
   * What must not grow, and by how much the fitted line may rise over the soak nonetheless: bounds
   * wide enough for noise around a flat level, narrow enough that a figure that keeps growing at
   * the same pace for the soak's length fails.
   */
  private static List<FlatFigure> figures(double rate) {
    return List.of(
        new FlatFigure("heap after GC", "MB", s -> s.cluster().heapAfterGcMb(), 0.25, 64),
        new FlatFigure("RocksDB live data", "MB", s -> s.cluster().rocksDbLiveMb(), 0.1, 2),
        new FlatFigure(
            "checkpoint duration", "ms", s -> s.cluster().checkpointDurationMs(), 0.5, 1000),
        new FlatFigure("checkpoint size", "MB", s -> s.cluster().checkpointSizeMb(), 0.1, 2),
        new FlatFigure(
            "back-pressured", "ms/s", s -> s.cluster().backPressuredMsPerSecond(), 0, 100),
        new FlatFigure("latency p50", "ms", s -> orNaN(s.latency().p50Ms()), 0.5, 1000),
        new FlatFigure("latency p99", "ms", s -> orNaN(s.latency().p99Ms()), 0.5, 1000),
        // One checkpoint interval's events are always on their way.
        new FlatFigure("outputs behind inputs", "events", s -> s.behind(), 0, rate * 10));
  }

  private static double orNaN(Double value) {
    return value == null ? Double.NaN : value;
  }

  /**
   * Events answered per second while the backlog drains, as the job writes them. The steady window
   * begins at 30% of the backlog, long after whatever the job wrote before this reader joined.
   */
  private static double maximumRate(LocalCluster cluster, JobSettings settings) throws Exception {
    SteadyStateRate rate = new SteadyStateRate();
    AtomicLong read = new AtomicLong();
    try (RecommendationFeed uncommitted =
        new RecommendationFeed(
            cluster.bootstrapServers(),
            settings.recommendationTopic(),
            "read_uncommitted",
            recommendation -> {
              rate.read(System.nanoTime());
              read.incrementAndGet();
            })) {
      awaitAnswered(read::get, BACKLOG);
    }
    return rate.perSecond();
  }

  private static void awaitAnswered(LongSupplier answered, long count) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    while (answered.getAsLong() < count) {
      assertThat(System.nanoTime())
          .as("%d of %d events answered within %s", answered.getAsLong(), count, DRAIN)
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static void replay(
      LocalCluster cluster,
      JobSettings settings,
      double rate,
      SoakEvents events,
      SoakIds ids,
      SoakLedger ledger,
      long first,
      long count)
      throws InterruptedException {
    String prefix = first == 0 ? SoakIds.BACKLOG_PREFIX : SoakIds.PACED_PREFIX;
    try (KafkaEventReplayer replayer =
        new KafkaEventReplayer(
            new ReplaySettings(settings.inputTopic(), prefix, rate, 0, 0, 0),
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
            (eventId, nanos) -> ledger.sent(ids.number(eventId), nanos))) {
      replayer.replay(events.range(first, count));
    }
  }

  private static void assertSampledUsersAsSequentialPass(
      JobSettings settings, SoakEvents events, SoakIds ids, long sent, List<Recommendation> read) {
    List<InteractionEvent> ofSampledUsers =
        LongStream.range(0, sent)
            .filter(number -> number % SoakEvents.USERS % SAMPLED_USER_EVERY == 0)
            .mapToObj(number -> events.event(number).toEvent(ids.id(number)))
            .toList();
    assertThat(OutputTopic.RECOMMENDATIONS.perUser(read))
        .as("recommendations of the sampled users")
        .isEqualTo(OutputTopic.RECOMMENDATIONS.expectedPerUser(settings, ofSampledUsers));
  }

  private static JobSettings settings(LocalCluster cluster) {
    String name = UUID.randomUUID().toString().substring(0, 8);
    return OwnTopics.settings(name, cluster.bootstrapServers())
        .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .parallelism(PARALLELISM)
        .build();
  }
}
