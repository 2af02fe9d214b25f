package org.interesttracker.job;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.interesttracker.interest.DedupRules;
import org.interesttracker.interest.EventStep;
import org.interesttracker.interest.InterestRules;
import org.interesttracker.interest.RecommendFor;
import org.interesttracker.interest.SceneHalfLives;
import org.interesttracker.serving.CandidateIndex;
import org.interesttracker.serving.CandidateIndexKind;
import org.interesttracker.serving.CandidateIndexes;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;
import org.interesttracker.serving.Recommender;

/**
 * Every option of the job, validated once at construction so a bad value fails at start-up with a
 * message naming the option, not later inside a running task. Build with {@link #builder()}; the
 * builder holds the defaults.
 */
public record JobSettings(
    String bootstrapServers,
    KafkaClientProperties kafkaProperties,
    String inputTopic,
    String profileTopic,
    String deadLetterTopic,
    String recommendationTopic,
    String controlTopic,
    String operationsTopic,
    String consumerGroup,
    String modelDir,
    int topK,
    int reasonsPerItem,
    CandidateIndexKind candidateIndex,
    RecommendFor recommendFor,
    int historyLength,
    Duration dedupHorizon,
    int dedupMaxEvents,
    int maxScenesPerUser,
    double profileChange,
    Duration allowedLateness,
    Duration stateTtl,
    SceneHalfLives halfLives,
    Instant minEventTime,
    Duration maxClockSkew,
    String writerSchemaDir,
    FailureLimit failureLimit,
    Duration checkpointInterval,
    String checkpointDir,
    Duration bufferTimeout,
    int bundleSize,
    Duration bundleTimeout,
    int switchRebuildsPerBundle,
    boolean livePopularity,
    int parallelism,
    int maxParallelism,
    DeliveryGuarantee deliveryGuarantee,
    String transactionalIdPrefix)
    implements Serializable {

  public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(1);

  // A profile that waits for a strength to grow elevenfold says little about the user.
  private static final double MAX_PROFILE_CHANGE = 10;

  public JobSettings {
    requireText("bootstrap-servers", bootstrapServers);
    requireText("input-topic", inputTopic);
    requireText("profile-topic", profileTopic);
    requireText("dead-letter-topic", deadLetterTopic);
    requireText("recommendation-topic", recommendationTopic);
    requireText("control-topic", controlTopic);
    requireText("operations-topic", operationsTopic);
    requireText("consumer-group", consumerGroup);
    requireText("model-dir", modelDir);
    requireRange("top-k", topK, 1, 1000);
    requireRange("reasons", reasonsPerItem, 0, 50);
    if (recommendFor == null) {
      throw new IllegalArgumentException("recommend-for must be set");
    }
    requireRange("history-length", historyLength, 1, 1000);
    requireNonNegative("dedup-horizon", dedupHorizon);
    requireRange("dedup-max-events", dedupMaxEvents, 0, 100_000);
    requireRange("max-scenes-per-user", maxScenesPerUser, 1, 1000);
    if (!(profileChange >= 0 && profileChange <= MAX_PROFILE_CHANGE)) {
      throw new IllegalArgumentException(
          "profile-change must be between 0 and " + MAX_PROFILE_CHANGE + ", got " + profileChange);
    }
    requireNonNegative("allowed-lateness", allowedLateness);
    if (allowedLateness != null
        && dedupHorizon != null
        && dedupHorizon.compareTo(allowedLateness) < 0) {
      throw new IllegalArgumentException(
          "dedup-horizon ("
              + dedupHorizon
              + ") must be at least the allowed lateness ("
              + allowedLateness
              + "), or late re-deliveries would be applied twice");
    }
    requirePositive("state-ttl", stateTtl);
    if (failureLimit == null) {
      throw new IllegalArgumentException("failure limit must be set");
    }
    requirePositive("max-clock-skew", maxClockSkew);
    requirePositive("checkpoint-interval", checkpointInterval);
    requireNonNegative("buffer-timeout", bufferTimeout);
    requireRange("bundle-size", bundleSize, 1, 4096);
    requirePositive("bundle-timeout", bundleTimeout);
    requireRange("switch-rebuilds-per-bundle", switchRebuildsPerBundle, 1, 4096);
    requireRange("parallelism", parallelism, 1, 10_000);
    requireRange("max-parallelism", maxParallelism, parallelism, 32_768);
    if (minEventTime == null) {
      throw new IllegalArgumentException("min-event-time must be set");
    }
    if (deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      requireText("transactional-id-prefix", transactionalIdPrefix);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every topic the job reads or writes. */
  public List<String> topics() {
    return List.of(
        inputTopic,
        recommendationTopic,
        profileTopic,
        deadLetterTopic,
        controlTopic,
        operationsTopic);
  }

  /**
   * The state rules for a model: keep the events it reads (L - 1 + W), and decay each scene with
   * its configured half-life, else the model's learned one, else the default.
   */
  public InterestRules interestRules(ModelBundle model) {
    return interestRules(model.halfLives(), model.step().keptEvents());
  }

  /** The state rules with the given learned half-lives and kept history. */
  public InterestRules interestRules(Map<String, Duration> learnedHalfLives, int keptEvents) {
    return new InterestRules(
        keptEvents,
        new DedupRules(dedupHorizon, dedupMaxEvents),
        maxScenesPerUser,
        allowedLateness,
        halfLives.withFallback(learnedHalfLives),
        profileChange);
  }

  /** The model these settings name, loaded and checked. */
  public ModelBundle loadModel() {
    return ModelBundle.load(ModelFiles.of(modelDir), historyLength);
  }

  /** The per-event step these settings describe, deciding with the given rules. */
  public EventStep eventStep(InterestRules rules, int maxBatch) {
    return eventStep(loadModel(), rules, maxBatch);
  }

  /** The per-event step of {@code model} with these settings, deciding with the given rules. */
  public EventStep eventStep(ModelBundle model, InterestRules rules, int maxBatch) {
    CandidateIndex index = CandidateIndexes.forModel(candidateIndex, model);
    return new EventStep(
        rules, new Recommender(model, index, topK, reasonsPerItem, maxBatch), recommendFor);
  }

  private static void requireText(String option, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(option + " must be set");
    }
  }

  private static void requireRange(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  private static void requirePositive(String option, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(option + " must be a positive duration, got " + value);
    }
  }

  private static void requireNonNegative(String option, Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(option + " must not be negative, got " + value);
    }
  }

  /** Collects options; starts from the documented defaults. */
  public static final class Builder {
    private String bootstrapServers;
    private Map<String, String> kafkaProperties = Map.of();
    private String inputTopic = Topics.INTERACTIONS;
    private String profileTopic = Topics.INTEREST_PROFILES;
    private String deadLetterTopic = Topics.DEAD_LETTERS;
    private String recommendationTopic = Topics.RECOMMENDATIONS;
    private String controlTopic = Topics.CONTROL;
    private String operationsTopic = Topics.OPERATIONS;
    private String consumerGroup = "interest-tracker";
    private String modelDir = ModelFiles.BUNDLED;
    private int topK = 10;
    private int reasonsPerItem = 3;
    private CandidateIndexKind candidateIndex = CandidateIndexKind.EXACT;
    private RecommendFor recommendFor = RecommendFor.EVENT_SCENE;
    private int historyLength = 50;
    private Duration dedupHorizon = Duration.ofHours(1);
    private int dedupMaxEvents = 1000;
    private int maxScenesPerUser = 32;
    private double profileChange = 0.1;
    private Duration allowedLateness = Duration.ofMinutes(10);
    private Duration stateTtl = Duration.ofDays(30);
    private SceneHalfLives halfLives = new SceneHalfLives(DEFAULT_HALF_LIFE, Map.of());
    // Before the first web-scale recommenders; MovieLens starts in 1997.
    private Instant minEventTime = Instant.parse("1995-01-01T00:00:00Z");
    private Duration maxClockSkew = Duration.ofHours(1);
    private String writerSchemaDir;
    private FailureLimit failureLimit = FailureLimit.DEFAULT;
    private Duration checkpointInterval = Duration.ofSeconds(10);
    private String checkpointDir;
    // Flink's default of 100 ms is most of the latency of an event at moderate load. 0 sends each
    // record on as it is written: against 1 ms it measured lower latency at half load and no less
    // throughput (bundles, not network buffers, are where the job batches its work).
    private Duration bufferTimeout = Duration.ZERO;
    // One model call for up to this many users' events: about 6 us an event instead of 50.
    private int bundleSize = 64;
    private Duration bundleTimeout = Duration.ofMillis(1);
    private int switchRebuildsPerBundle = 8;
    private boolean livePopularity = true;
    private int parallelism = 2;
    private int maxParallelism = 128;
    private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.AT_LEAST_ONCE;
    private String transactionalIdPrefix = "interest-tracker";

    private Builder() {}

    public Builder bootstrapServers(String value) {
      bootstrapServers = value;
      return this;
    }

    public Builder kafkaProperties(Map<String, String> value) {
      kafkaProperties = value;
      return this;
    }

    public Builder inputTopic(String value) {
      inputTopic = value;
      return this;
    }

    public Builder profileTopic(String value) {
      profileTopic = value;
      return this;
    }

    public Builder deadLetterTopic(String value) {
      deadLetterTopic = value;
      return this;
    }

    public Builder recommendationTopic(String value) {
      recommendationTopic = value;
      return this;
    }

    public Builder controlTopic(String value) {
      controlTopic = value;
      return this;
    }

    public Builder operationsTopic(String value) {
      operationsTopic = value;
      return this;
    }

    public Builder modelDir(String value) {
      modelDir = value;
      return this;
    }

    public Builder topK(int value) {
      topK = value;
      return this;
    }

    public Builder candidateIndex(CandidateIndexKind value) {
      candidateIndex = value;
      return this;
    }

    public Builder reasonsPerItem(int value) {
      reasonsPerItem = value;
      return this;
    }

    public Builder recommendFor(RecommendFor value) {
      recommendFor = value;
      return this;
    }

    public Builder consumerGroup(String value) {
      consumerGroup = value;
      return this;
    }

    public Builder historyLength(int value) {
      historyLength = value;
      return this;
    }

    public Builder dedupHorizon(Duration value) {
      dedupHorizon = value;
      return this;
    }

    public Builder dedupMaxEvents(int value) {
      dedupMaxEvents = value;
      return this;
    }

    public Builder maxScenesPerUser(int value) {
      maxScenesPerUser = value;
      return this;
    }

    public Builder profileChange(double value) {
      profileChange = value;
      return this;
    }

    public Builder allowedLateness(Duration value) {
      allowedLateness = value;
      return this;
    }

    public Builder stateTtl(Duration value) {
      stateTtl = value;
      return this;
    }

    public Builder halfLives(SceneHalfLives value) {
      halfLives = value;
      return this;
    }

    public Builder minEventTime(Instant value) {
      minEventTime = value;
      return this;
    }

    public Builder maxClockSkew(Duration value) {
      maxClockSkew = value;
      return this;
    }

    public Builder writerSchemaDir(String value) {
      writerSchemaDir = value;
      return this;
    }

    public Builder failureLimit(FailureLimit value) {
      failureLimit = value;
      return this;
    }

    public Builder checkpointInterval(Duration value) {
      checkpointInterval = value;
      return this;
    }

    public Builder checkpointDir(String value) {
      checkpointDir = value;
      return this;
    }

    public Builder bufferTimeout(Duration value) {
      bufferTimeout = value;
      return this;
    }

    public Builder bundleSize(int value) {
      bundleSize = value;
      return this;
    }

    public Builder bundleTimeout(Duration value) {
      bundleTimeout = value;
      return this;
    }

    public Builder switchRebuildsPerBundle(int value) {
      switchRebuildsPerBundle = value;
      return this;
    }

    /**
     * Whether the job computes the live popularity a model blends from its own stream (true), or
     * serves the table exported with the model.
     */
    public Builder livePopularity(boolean value) {
      livePopularity = value;
      return this;
    }

    public Builder parallelism(int value) {
      parallelism = value;
      return this;
    }

    public Builder maxParallelism(int value) {
      maxParallelism = value;
      return this;
    }

    public Builder deliveryGuarantee(DeliveryGuarantee value) {
      deliveryGuarantee = value;
      return this;
    }

    public Builder transactionalIdPrefix(String value) {
      transactionalIdPrefix = value;
      return this;
    }

    public JobSettings build() {
      return new JobSettings(
          bootstrapServers,
          new KafkaClientProperties(kafkaProperties),
          inputTopic,
          profileTopic,
          deadLetterTopic,
          recommendationTopic,
          controlTopic,
          operationsTopic,
          consumerGroup,
          modelDir,
          topK,
          reasonsPerItem,
          candidateIndex,
          recommendFor,
          historyLength,
          dedupHorizon,
          dedupMaxEvents,
          maxScenesPerUser,
          profileChange,
          allowedLateness,
          stateTtl,
          halfLives,
          minEventTime,
          maxClockSkew,
          writerSchemaDir,
          failureLimit,
          checkpointInterval,
          checkpointDir,
          bufferTimeout,
          bundleSize,
          bundleTimeout,
          switchRebuildsPerBundle,
          livePopularity,
          parallelism,
          maxParallelism,
          deliveryGuarantee,
          transactionalIdPrefix);
    }
  }
}
