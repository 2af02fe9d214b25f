package org.interesttracker.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.interesttracker.deploy.TopicSetup;
import org.interesttracker.job.JobSettings;

/**
 * A job's own topics, consumer group and transactional ids on the local cluster's broker, so that
 * jobs of one cluster never read or write each other's records.
 */
final class OwnTopics {
  private OwnTopics() {}

  /**
   * Settings that name everything of the job after {@code name}, ranking with the model's exported
   * popularity as the sequential pass the outputs are compared with does.
   */
  static JobSettings.Builder settings(String name, String bootstrapServers) {
    return JobSettings.builder()
        .livePopularity(false)
        .bootstrapServers(bootstrapServers)
        .inputTopic("interactions-" + name)
        .profileTopic("profiles-" + name)
        .recommendationTopic("recommendations-" + name)
        .deadLetterTopic("dead-letters-" + name)
        .controlTopic("control-" + name)
        .operationsTopic("operations-" + name)
        .consumerGroup("job-" + name)
        .transactionalIdPrefix("job-" + name);
  }

  /** Creates every topic the settings name, each with {@code partitions} partitions. */
  static void create(LocalCluster cluster, JobSettings settings, int partitions) throws Exception {
    Map<String, Integer> perTopic =
        settings.topics().stream().collect(Collectors.toMap(Function.identity(), t -> partitions));
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      new TopicSetup(admin, Optional.empty()).ensure(perTopic);
    }
  }
}
