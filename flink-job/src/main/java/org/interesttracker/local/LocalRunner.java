package org.interesttracker.local;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.interesttracker.bench.StateSize;
import org.interesttracker.eventlog.EventLogFingerprint;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.job.InterestTrackerJob;
import org.interesttracker.job.JobCounters;
import org.interesttracker.job.JobSettings;
import org.interesttracker.local.PrequentialEvaluation.QualityReport;
import org.interesttracker.replay.KafkaEventReplayer;
import org.interesttracker.replay.ReplayResult;
import org.interesttracker.replay.ReplaySettings;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelCoverage;
import org.interesttracker.serving.OfflineQuality;

/**
 * The whole pipeline in one process: an embedded Kafka broker, the job on a Flink MiniCluster, a
 * replay into the input topic and a reader of the output topics, ending with a {@link
 * LocalRunReport}. {@link #close()} stops everything and may be called from a shutdown hook.
 */
public final class LocalRunner implements AutoCloseable {
  // Task managers send accumulators with their heartbeat: a short interval keeps the duplicate
  // count in progress lines and the final check current.
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  // Enough events to judge a model by, few enough to read in a moment before the replay.
  private static final long COVERAGE_SAMPLE = 100_000;
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  private static final Duration JOB_START_TIMEOUT = Duration.ofSeconds(60);

  private final LocalRunConfig config;
  private final PrintWriter out;
  private final CountDownLatch closed = new CountDownLatch(1);
  private EmbeddedKafkaBroker broker;
  private JobClient jobClient;
  private OutputReader output;
  private ProgressLine progress;
  private ProgressTicker keptRunningProgress;

  public LocalRunner(LocalRunConfig config, PrintWriter out) {
    this.config = config;
    this.out = out;
  }

  /** Starts everything, replays {@code events}, waits for their output and reports. */
  public LocalRunReport run(EventSource events) throws Exception {
    long startNanos = System.nanoTime();
    broker = new EmbeddedKafkaBroker().start();
    JobSettings settings = config.job().bootstrapServers(broker.bootstrapServers()).build();
    // The control and operations topics too: `model` and `forget` talk to the running job.
    broker.createTopics(settings.parallelism(), settings.topics().toArray(String[]::new));
    jobClient = submit(settings);
    JobCounterReader counters = new JobCounterReader(jobClient);
    LatencyRecorder latency = new LatencyRecorder();
    PrequentialEvaluation quality =
        new PrequentialEvaluation(settings.topK(), settings.historyLength());
    output =
        new OutputReader(
            broker.bootstrapServers(),
            settings.profileTopic(),
            settings.deadLetterTopic(),
            settings.recommendationTopic(),
            latency,
            quality);
    output.start();
    announce(settings);
    ModelBundle model = settings.loadModel();
    ModelCoverage coverage = coverage(events, model);
    warnIfLow(coverage);

    ReplaySettings replay = config.replayToTopic().apply(settings.inputTopic());
    Map<String, Object> producerConfig =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaEventReplayer replayer = new KafkaEventReplayer(replay, producerConfig, latency);
        ProgressTicker ticker =
            new ProgressTicker(
                out,
                config.progressInterval(),
                progress =
                    new ProgressLine(
                        replayer::recordsSent,
                        output::eventsAnswered,
                        output::recommendations,
                        output::deadLettersByReason,
                        () -> counters.get(JobCounters.DUPLICATES),
                        output::latestRecommendation))) {
      long firstSendNanos = System.nanoTime();
      ReplayResult sent;
      try (Stream<EventLogRecord> replayed = events.open()) {
        sent = replayer.replay(replayed.iterator());
      }
      boolean addsUp = awaitAllAccountedFor(sent.recordsSent(), counters);
      double activeSeconds = Math.max(1e-3, (output.lastReadNanos() - firstSendNanos) / 1e9);
      return new LocalRunReport(
          config.source(),
          sent.recordsSent(),
          sent.validSent(),
          sent.duplicatesInjected(),
          sent.malformedInjected(),
          output.eventsAnswered(),
          output.profiles(),
          output.recommendations(),
          output.deadLetters(),
          output.deadLettersByReason(),
          counters.get(JobCounters.DUPLICATES),
          output.unreadable(),
          addsUp,
          sent.recordsSent() / activeSeconds,
          output.steadyStateEventsPerSecond(),
          latency.percentiles(),
          score(quality, events, replay.eventIdPrefix()),
          offlineQualityOf(events, model, settings.topK()),
          output.coldStarts(),
          coverage.share(),
          stateBytes(events, settings),
          (System.nanoTime() - startNanos) / 1e9);
    }
  }

  /** Scores the recommendations read against the replayed events, with the ids they were sent. */
  private static QualityReport score(
      PrequentialEvaluation quality, EventSource events, String eventIdPrefix) throws IOException {
    try (Stream<EventLogRecord> replayed = events.open()) {
      Iterator<String> eventIds =
          LongStream.iterate(0, row -> row + 1)
              .mapToObj(row -> eventIdPrefix + "-" + row)
              .iterator();
      return quality.evaluate(replayed.iterator(), eventIds);
    }
  }

  /**
   * Bytes of the users' keyed state at the end, measured on the same events folded through the
   * job's rules and model (the Avro value the job stores; RocksDB adds the key and a few bytes).
   */
  private static StateSize.Summary stateBytes(EventSource events, JobSettings settings)
      throws Exception {
    try (Stream<EventLogRecord> replayed = events.open()) {
      return StateSize.afterReplay(replayed.iterator(), settings);
    }
  }

  /** Blocks until {@link #close()} was called, to keep the web UI up after the report. */
  /**
   * After the report, keeps printing progress whenever the job processes something, such as a
   * replay into the running stack from another process, until {@link #close()}.
   */
  public void keepReporting() {
    keptRunningProgress = new ProgressTicker(out, config.progressInterval(), progress);
  }

  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  /** Cancels the job, then stops the output reader and the broker; safe to call more than once. */
  @Override
  public synchronized void close() throws Exception {
    if (closed.getCount() == 0) {
      return;
    }
    try {
      if (keptRunningProgress != null) {
        keptRunningProgress.close();
      }
      if (output != null) {
        output.close();
      }
      if (jobClient != null) {
        cancel(jobClient);
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
      closed.countDown();
    }
  }

  private JobClient submit(JobSettings settings) throws Exception {
    Configuration flinkConfig = new Configuration();
    flinkConfig.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, HEARTBEAT_INTERVAL);
    TemporaryCheckpoints.setIfUnset(flinkConfig, settings);
    StreamExecutionEnvironment env;
    if (config.webUi().enabled()) {
      config.webUi().configure(flinkConfig);
      env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flinkConfig);
    } else {
      LoopbackOnly.apply(flinkConfig);
      env = StreamExecutionEnvironment.createLocalEnvironment(flinkConfig);
    }
    InterestTrackerJob.configure(env, settings);
    InterestTrackerJob.defineKafkaWorkflow(env, settings);
    JobClient client = env.executeAsync(InterestTrackerJob.JOB_NAME);
    awaitRunning(client);
    return client;
  }

  /**
   * Replaying before the job runs would measure the MiniCluster's start-up as event latency.
   *
   * @throws IllegalStateException if the job fails to start or does not start in time
   */
  private static void awaitRunning(JobClient client) throws Exception {
    long deadline = System.nanoTime() + JOB_START_TIMEOUT.toNanos();
    JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
    while (status != JobStatus.RUNNING) {
      if (status.isGloballyTerminalState() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "The job did not start (status " + status + " after " + JOB_START_TIMEOUT + ")");
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
      status = client.getJobStatus().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The model's offline figures for the replayed stream, if its exporter measured them on exactly
   * these events; null otherwise.
   */
  private static OfflineQuality offlineQualityOf(EventSource events, ModelBundle model, int k)
      throws IOException {
    if (model.offlineQuality().isEmpty()) {
      return null;
    }
    String fingerprint;
    try (Stream<EventLogRecord> replayed = events.open()) {
      fingerprint = EventLogFingerprint.sha256(replayed.iterator());
    }
    return model.offlineQuality().filter(figures -> figures.describes(fingerprint, k)).orElse(null);
  }

  /** How much of the replayed stream the job's model knows, over its first events. */
  private static ModelCoverage coverage(EventSource events, ModelBundle model) throws IOException {
    ModelCoverage coverage = new ModelCoverage(model);
    try (Stream<EventLogRecord> replayed = events.open()) {
      replayed
          .limit(COVERAGE_SAMPLE)
          .forEach(record -> coverage.record(record.itemId(), record.scene()));
    }
    return coverage;
  }

  private void warnIfLow(ModelCoverage coverage) {
    if (coverage.isLow()) {
      out.println(ReportFormatter.lowCoverageWarning(coverage.share()));
      out.flush();
    }
  }

  private void announce(JobSettings settings) {
    out.printf(
        "Kafka at %s, topics %s -> %s + %s + %s; job %s with parallelism %d%s%n",
        broker.bootstrapServers(),
        settings.inputTopic(),
        settings.recommendationTopic(),
        settings.profileTopic(),
        settings.deadLetterTopic(),
        jobClient.getJobID(),
        settings.parallelism(),
        config.webUi().enabled() ? "; " + config.webUi().describe() : "");
    out.flush();
  }

  /**
   * Waits until every record sent shows up as an answered event, a dead letter or a dropped
   * duplicate. A slow job is given all the time it needs as long as its output grows; it fails the
   * check when nothing new arrives for the drain timeout.
   *
   * @return whether the counts match exactly
   */
  private boolean awaitAllAccountedFor(long recordsSent, JobCounterReader counters)
      throws Exception {
    long accountedBefore = -1;
    long deadline = 0;
    while (true) {
      long accounted =
          output.eventsAnswered() + output.deadLetters() + counters.get(JobCounters.DUPLICATES);
      if (accounted >= recordsSent) {
        return accounted == recordsSent;
      }
      if (accounted > accountedBefore) {
        accountedBefore = accounted;
        deadline = System.nanoTime() + config.drainTimeout().toNanos();
      }
      JobStatus status = jobClient.getJobStatus().get(10, TimeUnit.SECONDS);
      if (status.isGloballyTerminalState()) {
        out.println("The job stopped early with status " + status);
        return false;
      }
      if (System.nanoTime() > deadline) {
        out.printf(
            "Only %,d of %,d records were accounted for, and nothing new came for %s%n",
            accounted, recordsSent, config.drainTimeout());
        return false;
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }

  private static void cancel(JobClient jobClient) throws Exception {
    try {
      if (!jobClient.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
        jobClient.cancel().get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      // The job finished on its own between the status check and the cancellation.
    }
  }
}
