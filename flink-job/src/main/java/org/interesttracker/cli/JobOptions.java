package org.interesttracker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.interesttracker.interest.RecommendFor;
import org.interesttracker.interest.SceneHalfLives;
import org.interesttracker.job.FailureLimit;
import org.interesttracker.job.JobSettings;
import org.interesttracker.serving.CandidateIndexKind;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What the job does, shared by every command that runs it ({@code run}, {@code local}, {@code
 * benchmark}); where it reads and writes is {@link TopicOptions} and {@link KafkaClientOptions},
 * which only {@code run} takes. Defaults live in JobSettings.
 */
public final class JobOptions {

  @Option(
      names = "--model-dir",
      paramLabel = "DIR",
      description =
          "Exported model directory, readable where the job is submitted (checked there first) and "
              + "on every task manager; `bundled` (default) is the "
              + "synthetic-data model inside the jar.")
  String modelDir;

  @Option(
      paramLabel = "N",
      names = "--top-k",
      description = "Items per recommendation (default 10).")
  Integer topK;

  @Option(
      paramLabel = "N",
      names = "--reasons",
      description = "Past interactions given as reasons per item (default 3).")
  Integer reasonsPerItem;

  @Option(
      names = "--recommend-for",
      paramLabel = "EVENT_SCENE|ALL_SCENES",
      description =
          "EVENT_SCENE (default): recommend for the scene of each event; ALL_SCENES: for every "
              + "scene the model knows, after every event.")
  RecommendFor recommendFor;

  @Option(
      paramLabel = "KIND",
      names = "--candidate-index",
      description =
          "How the top-K is found: EXACT scans every item; HNSW searches a graph built at start"
              + " (approximate, for catalogs of hundreds of thousands of items and more;"
              + " default EXACT).")
  CandidateIndexKind candidateIndex;

  @Option(
      paramLabel = "N",
      names = "--history-length",
      description =
          "Events each read-out of the model sees, the model's L; must equal the model's"
              + " (default 50).")
  Integer historyLength;

  @Option(
      paramLabel = "DURATION",
      names = "--dedup-horizon",
      converter = DurationConverter.class,
      description =
          "A re-delivered event is dropped if it was applied within this much event time of the "
              + "user's latest event; at least --allowed-lateness (default 1h).")
  Duration dedupHorizon;

  @Option(
      paramLabel = "N",
      names = "--dedup-max-events",
      description =
          "Most event ids remembered per user within the horizon, about 16 bytes each "
              + "(default 1000).")
  Integer dedupMaxEvents;

  @Option(
      paramLabel = "N",
      names = "--max-scenes-per-user",
      description = "Scenes kept per user; the least recently active is evicted (default 32).")
  Integer maxScenesPerUser;

  @Option(
      paramLabel = "SHARE",
      names = "--profile-change",
      description =
          "A user's profile is sent when a scene is new to them, or a scene's strength moved by "
              + "more than this share of their total interest since the latest profile sent; 0 "
              + "sends one after every event (default 0.1).")
  Double profileChange;

  @Option(
      paramLabel = "DURATION",
      names = "--allowed-lateness",
      converter = DurationConverter.class,
      description =
          "How far behind a user's latest event an event may arrive and still be placed in time "
              + "order; later ones are dead-lettered as TOO_LATE (default 10m).")
  Duration allowedLateness;

  @Option(
      paramLabel = "DURATION",
      names = "--state-ttl",
      converter = DurationConverter.class,
      description = "A user idle this long in event time is forgotten (default 30d).")
  Duration stateTtl;

  @Option(
      paramLabel = "DURATION",
      names = "--default-half-life",
      converter = DurationConverter.class,
      description =
          "Half-life of interest in scenes neither the model nor --half-life covers (default 1d).")
  Duration defaultHalfLife;

  @Option(
      names = "--half-life",
      paramLabel = "SCENE=DURATION",
      description =
          "Half-life of one scene, repeatable, e.g. --half-life search=2h; overrides the model's "
              + "learned half-life for that scene.")
  Map<String, String> halfLives = new LinkedHashMap<>();

  @Option(
      paramLabel = "INSTANT",
      names = "--min-event-time",
      description = "Events before this instant are dead-lettered (default 1995-01-01T00:00:00Z).")
  Instant minEventTime;

  @Option(
      paramLabel = "DURATION",
      names = "--max-clock-skew",
      converter = DurationConverter.class,
      description = "Events this far ahead of the wall clock are dead-lettered (default 1h).")
  Duration maxClockSkew;

  @Option(
      paramLabel = "DIR",
      names = "--writer-schemas",
      description =
          "Directory of extra InteractionEvent writer schemas (*.avsc) to read, for producers "
              + "that moved to a newer schema version before the job did.")
  String writerSchemaDir;

  @Option(
      paramLabel = "RATE",
      names = "--max-failure-rate",
      description =
          "The job fails when, within a minute, more than this share of records failed with "
              + "unexpected errors (and at least --min-failures did); 1 = never (default 0.5).")
  Double maxFailureRate;

  @Option(
      paramLabel = "N",
      names = "--min-failures",
      description = "Failures within a minute below which the job never fails (default 100).")
  Integer minFailures;

  @Option(
      paramLabel = "DURATION",
      names = "--checkpoint-interval",
      converter = DurationConverter.class,
      description = "Checkpoint every (default 10s).")
  Duration checkpointInterval;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "URI",
      description = "Durable checkpoint location, e.g. file:///checkpoints or s3://bucket/path.")
  String checkpointDir;

  @Option(
      paramLabel = "DURATION",
      names = "--buffer-timeout",
      converter = DurationConverter.class,
      description =
          "Longest time a record waits in a network buffer before it is sent on; lower is less"
              + " latency (default 0: sent on at once; Flink's own default is 100ms).")
  Duration bufferTimeout;

  @Option(
      names = "--bundle-size",
      paramLabel = "N",
      description =
          "Users the model steps in one call: a bundle goes when it holds events of this many"
              + " users (or 16 events per user), when --bundle-timeout passes, at a watermark and"
              + " before a checkpoint (default 64).")
  Integer bundleSize;

  @Option(
      paramLabel = "DURATION",
      names = "--bundle-timeout",
      converter = DurationConverter.class,
      description = "Longest time an event waits for its bundle to fill (default 1ms).")
  Duration bundleTimeout;

  @Option(
      paramLabel = "N",
      names = "--switch-rebuilds-per-bundle",
      description =
          "After a model switch, users whose vectors a bundle rebuilds for the new version; the"
              + " bundle's other users are served by the version their vectors are of while it"
              + " stays loaded, so the rebuilds spread over the next bundles (default 8).")
  Integer switchRebuildsPerBundle;

  @Option(
      paramLabel = "BOOLEAN",
      names = "--live-popularity",
      arity = "1",
      description =
          "Compute the live popularity a contract-2 model blends from the stream: time-decayed item"
              + " weights, published every snapshot interval of event time (true, default); false"
              + " serves the popularity table exported with the model.")
  Boolean livePopularity;

  @Option(
      paramLabel = "N",
      names = "--parallelism",
      description = "Parallelism of every operator (default 2).")
  Integer parallelism;

  @Option(
      paramLabel = "N",
      names = "--max-parallelism",
      description = "Key groups; fixed for the life of the state (default 128).")
  Integer maxParallelism;

  @Option(
      names = "--delivery-guarantee",
      paramLabel = "AT_LEAST_ONCE|EXACTLY_ONCE",
      description =
          "AT_LEAST_ONCE (default, lowest latency; consumers de-duplicate on event_id) or "
              + "EXACTLY_ONCE (transactional sinks; consumers read committed).")
  DeliveryGuarantee deliveryGuarantee;

  /** The settings these options give, on top of the defaults, not yet validated. */
  public JobSettings.Builder toBuilder() throws IOException {
    JobSettings.Builder builder = JobSettings.builder();
    setIfGiven(modelDir, builder::modelDir);
    setIfGiven(topK, builder::topK);
    setIfGiven(reasonsPerItem, builder::reasonsPerItem);
    setIfGiven(recommendFor, builder::recommendFor);
    setIfGiven(historyLength, builder::historyLength);
    setIfGiven(dedupHorizon, builder::dedupHorizon);
    setIfGiven(dedupMaxEvents, builder::dedupMaxEvents);
    setIfGiven(maxScenesPerUser, builder::maxScenesPerUser);
    setIfGiven(profileChange, builder::profileChange);
    setIfGiven(allowedLateness, builder::allowedLateness);
    setIfGiven(stateTtl, builder::stateTtl);
    if (defaultHalfLife != null || !halfLives.isEmpty()) {
      builder.halfLives(sceneHalfLives());
    }
    setIfGiven(minEventTime, builder::minEventTime);
    setIfGiven(maxClockSkew, builder::maxClockSkew);
    setIfGiven(writerSchemaDir, builder::writerSchemaDir);
    if (maxFailureRate != null || minFailures != null) {
      builder.failureLimit(
          new FailureLimit(
              maxFailureRate != null ? maxFailureRate : FailureLimit.DEFAULT.maxRate(),
              minFailures != null ? minFailures : FailureLimit.DEFAULT.minFailures()));
    }
    setIfGiven(checkpointInterval, builder::checkpointInterval);
    setIfGiven(checkpointDir, builder::checkpointDir);
    setIfGiven(bufferTimeout, builder::bufferTimeout);
    setIfGiven(bundleSize, builder::bundleSize);
    setIfGiven(candidateIndex, builder::candidateIndex);
    setIfGiven(bundleTimeout, builder::bundleTimeout);
    setIfGiven(switchRebuildsPerBundle, builder::switchRebuildsPerBundle);
    setIfGiven(livePopularity, builder::livePopularity);
    setIfGiven(parallelism, builder::parallelism);
    setIfGiven(maxParallelism, builder::maxParallelism);
    setIfGiven(deliveryGuarantee, builder::deliveryGuarantee);
    return builder;
  }

  private SceneHalfLives sceneHalfLives() {
    DurationConverter converter = new DurationConverter();
    Map<String, Duration> perScene = new LinkedHashMap<>();
    halfLives.forEach(
        (scene, value) -> {
          try {
            perScene.put(scene, converter.convert(value));
          } catch (CommandLine.TypeConversionException e) {
            throw new IllegalArgumentException(
                "--half-life " + scene + "=" + value + ": " + e.getMessage(), e);
          }
        });
    return new SceneHalfLives(
        defaultHalfLife != null ? defaultHalfLife : JobSettings.DEFAULT_HALF_LIFE, perScene);
  }

  /** The key-value pairs of a Java properties file, for Kafka client settings. */
  static Map<String, String> readProperties(Path file) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
    return values;
  }

  static <T> void setIfGiven(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
