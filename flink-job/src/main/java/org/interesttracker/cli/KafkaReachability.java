package org.interesttracker.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Asks Kafka, before anything is sent or submitted, whether it is there and has the topic a command
 * needs: pointed at the wrong servers, a job would fail over and over, silently, on the cluster,
 * and a producer would wait a minute and then blame the topic's metadata.
 */
final class KafkaReachability {
  private KafkaReachability() {}

  /**
   * Returns once Kafka answered with its topics, including {@code topic}.
   *
   * @param clientConfig the bootstrap servers and the user's client properties
   * @param topic the topic that must exist, or null if Kafka only has to answer
   * @throws IOException in one line naming the servers if Kafka did not answer within {@code
   *     timeout}, or naming the topic if it is missing
   */
  static void requireTopic(Map<String, ?> clientConfig, String topic, Duration timeout)
      throws IOException {
    Properties config = new Properties();
    config.putAll(clientConfig);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    Object servers = clientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    Set<String> topics;
    try (Admin admin = Admin.create(config)) {
      topics =
          admin
              .listTopics(new ListTopicsOptions().timeoutMs((int) timeout.toMillis()))
              .names()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException refused) {
        // The broker's reason names the user at most, never the password.
        throw new IOException(
            "Kafka at "
                + servers
                + " refused the credentials of --kafka-properties: "
                + refused.getMessage(),
            e);
      }
      throw notAnswered(servers, timeout, e);
    } catch (TimeoutException e) {
      throw notAnswered(servers, timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while checking Kafka at " + servers, e);
    }
    if (topic != null && !topics.contains(topic)) {
      throw new IOException(
          "the topic "
              + topic
              + " does not exist on Kafka at "
              + servers
              + "; create the topics with the create-topics command");
    }
  }

  private static IOException notAnswered(Object servers, Duration timeout, Exception cause) {
    return new IOException(
        "Kafka at "
            + servers
            + " did not answer within "
            + timeout.toSeconds()
            + " s; check --bootstrap-servers and --kafka-properties",
        cause);
  }
}
