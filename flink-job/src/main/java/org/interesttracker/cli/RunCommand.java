package org.interesttracker.cli;

import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.interesttracker.job.InterestTrackerJob;
import org.interesttracker.job.JobSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Submits the job to the Flink cluster it is launched on: {@code flink run <jar> run ...}. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the job against your Kafka on a Flink cluster:",
      "  flink run flink-job/target/interest-tracker-job.jar run --bootstrap-servers kafka:9092"
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Mixin KafkaClientOptions kafka;

  @Mixin TopicOptions topics;

  @Mixin JobOptions jobOptions;

  /**
   * Checks options, model and writer schemas (building the graph loads them), then Kafka, before
   * the job is submitted.
   */
  @Override
  public Integer call() throws Exception {
    JobSettings.Builder builder = jobOptions.toBuilder();
    kafka.applyTo(builder);
    topics.applyTo(builder);
    JobSettings settings = builder.build();
    LOG.info("Starting {} with {}", InterestTrackerJob.JOB_NAME, settings);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    InterestTrackerJob.configure(env, settings);
    InterestTrackerJob.defineKafkaWorkflow(env, settings);
    kafka.requireTopic(settings.inputTopic());
    env.execute(InterestTrackerJob.JOB_NAME);
    return 0;
  }
}
