package org.interesttracker.testing;

import java.util.ArrayList;
import java.util.List;
import org.interesttracker.job.JobSettings;

/** The job's command line for settings that tests vary, as an operator would type it. */
public final class JobArguments {
  private JobArguments() {}

  /** The {@code run} command with {@link #options} of the settings. */
  public static List<String> of(JobSettings settings) {
    List<String> arguments = new ArrayList<>(List.of("run"));
    arguments.addAll(options(settings));
    return arguments;
  }

  /**
   * Topics, consumer group, transactional ids, parallelism, guarantee, checkpoint interval and live
   * popularity: the options of {@code run}, as {@code deploy/submit-job.sh} takes them.
   */
  public static List<String> options(JobSettings settings) {
    List<String> arguments = new ArrayList<>();
    add(arguments, "--bootstrap-servers", settings.bootstrapServers());
    add(arguments, "--input-topic", settings.inputTopic());
    add(arguments, "--profile-topic", settings.profileTopic());
    add(arguments, "--recommendation-topic", settings.recommendationTopic());
    add(arguments, "--dead-letter-topic", settings.deadLetterTopic());
    add(arguments, "--control-topic", settings.controlTopic());
    add(arguments, "--operations-topic", settings.operationsTopic());
    add(arguments, "--consumer-group", settings.consumerGroup());
    add(arguments, "--transactional-id-prefix", settings.transactionalIdPrefix());
    add(arguments, "--parallelism", String.valueOf(settings.parallelism()));
    add(arguments, "--delivery-guarantee", settings.deliveryGuarantee().name());
    add(arguments, "--checkpoint-interval", settings.checkpointInterval().toMillis() + "ms");
    add(arguments, "--live-popularity", String.valueOf(settings.livePopularity()));
    return arguments;
  }

  private static void add(List<String> arguments, String option, String value) {
    arguments.add(option);
    arguments.add(value);
  }
}
