package org.interesttracker.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.interesttracker.job.JobSettings;
import picocli.CommandLine.Option;

/** How a tool command reaches Kafka: the servers, and client properties for SASL/SSL. */
public final class KafkaClientOptions {

  @Option(
      names = "--bootstrap-servers",
      required = true,
      paramLabel = "HOST:PORT,...",
      description = "Kafka bootstrap servers, e.g. kafka:9092.")
  String bootstrapServers;

  @Option(
      names = "--kafka-properties",
      paramLabel = "FILE",
      description =
          "Properties file for every Kafka client (security.protocol, sasl.*, ssl.*...). Values"
              + " of keys that look like secrets are never logged.")
  Path kafkaProperties;

  @Option(
      names = "--kafka-check-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Before doing anything, wait this long for Kafka to answer (with the topic the command"
              + " needs); 0 skips the check (default 30s).")
  Duration checkTimeout = Duration.ofSeconds(30);

  /**
   * Returns once Kafka answered with {@code topic} among its topics (any topics if null), unless
   * the check is off.
   *
   * @throws IOException in one line naming the servers or the topic
   */
  void requireTopic(String topic) throws IOException {
    if (!checkTimeout.isZero()) {
      KafkaReachability.requireTopic(clientConfig(), topic, checkTimeout);
    }
  }

  /** The client configuration: bootstrap servers plus everything in the properties file. */
  Map<String, Object> clientConfig() throws IOException {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    if (kafkaProperties != null) {
      config.putAll(JobOptions.readProperties(kafkaProperties));
    }
    return config;
  }

  /** The servers and client properties for the job's own Kafka clients. */
  void applyTo(JobSettings.Builder builder) throws IOException {
    builder.bootstrapServers(bootstrapServers);
    if (kafkaProperties != null) {
      builder.kafkaProperties(JobOptions.readProperties(kafkaProperties));
    }
  }
}
