package org.interesttracker.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.interesttracker.job.JobSettings;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Flink MiniCluster with two slots next to the shared Kafka broker, as the job runs on both. It
 * reports its metrics as a cluster of the deployment does, through Flink's Prometheus reporter on
 * {@link #PROMETHEUS_PORT}, so tests can read them under the names a dashboard queries.
 */
public abstract class FlinkAndKafkaTestBase extends KafkaTestBase {
  protected static final int PROMETHEUS_PORT = FreePorts.pick();

  @RegisterExtension
  protected static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(prometheusReporter(PROMETHEUS_PORT))
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  /** A fresh run name: topics, consumer group and transactional ids of its own on the broker. */
  protected static String newRun() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Settings against the shared broker with the run's own topics, group and transactional ids. They
   * rank with the model's exported popularity, as the sequential pass the outputs are compared with
   * does (live popularity has tests of its own).
   */
  protected static JobSettings.Builder settingsFor(String run) {
    return JobSettings.builder()
        .livePopularity(false)
        .bootstrapServers(kafka.bootstrapServers())
        .inputTopic("interactions-" + run)
        .profileTopic("profiles-" + run)
        .recommendationTopic("recommendations-" + run)
        .deadLetterTopic("dead-letters-" + run)
        .controlTopic("control-" + run)
        .operationsTopic("operations-" + run)
        .consumerGroup("job-" + run)
        .transactionalIdPrefix("job-" + run);
  }

  /**
   * A fresh run on both slots with its topics created, checkpointing every 300 ms into {@code
   * checkpoints} with the given guarantee: for tests of what survives a failure.
   */
  protected static JobSettings checkpointedRun(DeliveryGuarantee guarantee, Path checkpoints) {
    JobSettings settings =
        settingsFor(newRun())
            .deliveryGuarantee(guarantee)
            .checkpointInterval(Duration.ofMillis(300))
            .checkpointDir(checkpoints.toUri().toString())
            .parallelism(2)
            .build();
    createTopics(settings);
    return settings;
  }

  private static Configuration prometheusReporter(int port) {
    Configuration configuration = new Configuration();
    configuration.set(
        ConfigOptions.key("metrics.reporter.prom.factory.class").stringType().noDefaultValue(),
        PrometheusReporterFactory.class.getName());
    configuration.set(
        ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue(),
        String.valueOf(port));
    return configuration;
  }

  /** Creates every topic of the settings with two partitions, one per slot. */
  protected static void createTopics(JobSettings settings) {
    kafka.createTopics(2, settings.topics().toArray(String[]::new));
  }
}
