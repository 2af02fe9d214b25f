package org.interesttracker.cli;

import org.interesttracker.job.JobSettings;
import picocli.CommandLine.Option;

/** Where the job reads and writes on a Kafka of the user's: only {@code run} takes these. */
public final class TopicOptions {

  @Option(
      paramLabel = "TOPIC",
      names = "--input-topic",
      description = "Topic of InteractionEvent records (default interactions).")
  String inputTopic;

  @Option(
      paramLabel = "TOPIC",
      names = "--profile-topic",
      description = "Topic the InterestProfile records go to (default interest-profiles).")
  String profileTopic;

  @Option(
      paramLabel = "TOPIC",
      names = "--dead-letter-topic",
      description = "Topic of refused input, DeadLetter records (default dead-letters).")
  String deadLetterTopic;

  @Option(
      paramLabel = "TOPIC",
      names = "--recommendation-topic",
      description = "Topic the Recommendation records go to (default recommendations).")
  String recommendationTopic;

  @Option(
      paramLabel = "TOPIC",
      names = "--control-topic",
      description =
          "Topic of ControlRequest records: model versions, status, forget"
              + " (default interest-tracker-control).")
  String controlTopic;

  @Option(
      paramLabel = "TOPIC",
      names = "--operations-topic",
      description =
          "Topic the OperationsRecord answers and audit records go to"
              + " (default interest-tracker-operations).")
  String operationsTopic;

  @Option(
      names = "--consumer-group",
      paramLabel = "GROUP",
      description = "Kafka consumer group of the source (default interest-tracker).")
  String consumerGroup;

  @Option(
      names = "--transactional-id-prefix",
      paramLabel = "PREFIX",
      description =
          "Prefix of the sinks' transactional ids with EXACTLY_ONCE; unique per job"
              + " (default interest-tracker).")
  String transactionalIdPrefix;

  /** Sets the topics given on top of the builder's defaults. */
  void applyTo(JobSettings.Builder builder) {
    JobOptions.setIfGiven(inputTopic, builder::inputTopic);
    JobOptions.setIfGiven(profileTopic, builder::profileTopic);
    JobOptions.setIfGiven(deadLetterTopic, builder::deadLetterTopic);
    JobOptions.setIfGiven(recommendationTopic, builder::recommendationTopic);
    JobOptions.setIfGiven(controlTopic, builder::controlTopic);
    JobOptions.setIfGiven(operationsTopic, builder::operationsTopic);
    JobOptions.setIfGiven(consumerGroup, builder::consumerGroup);
    JobOptions.setIfGiven(transactionalIdPrefix, builder::transactionalIdPrefix);
  }
}
