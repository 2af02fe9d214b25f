package org.interesttracker.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.interesttracker.job.JobSettings;

/**
 * Asks Kafka, before a job is built and submitted, whether it is there and has the input topic: a
 * job pointed at the wrong servers would otherwise fail over and over, silently, on the cluster.
 */
final class KafkaReachability {
  private KafkaReachability() {}

  /**
   * Returns once Kafka answered with its topics, including the input topic.
   *
   * @throws IOException in one line naming the servers if Kafka did not answer within {@code
   *     timeout}, or naming the topic if it is missing
   */
  static void require(JobSettings settings, Duration timeout) throws IOException {
    Properties config = settings.kafkaProperties().toProperties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    Set<String> topics;
    try (Admin admin = Admin.create(config)) {
      topics =
          admin
              .listTopics(new ListTopicsOptions().timeoutMs((int) timeout.toMillis()))
              .names()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IOException(
          "Kafka at "
              + settings.bootstrapServers()
              + " did not answer within "
              + timeout.toSeconds()
              + " s; check --bootstrap-servers and --kafka-properties",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(
          "Interrupted while checking Kafka at " + settings.bootstrapServers(), e);
    }
    if (!topics.contains(settings.inputTopic())) {
      throw new IOException(
          "the input topic "
              + settings.inputTopic()
              + " does not exist on Kafka at "
              + settings.bootstrapServers()
              + "; create the topics with the create-topics command");
    }
  }
}
