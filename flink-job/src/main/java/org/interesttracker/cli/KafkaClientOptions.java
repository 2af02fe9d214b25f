package org.interesttracker.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
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
      description = "Properties file for the Kafka client (security.protocol, sasl.*, ssl.*...).")
  Path kafkaProperties;

  /** The client configuration: bootstrap servers plus everything in the properties file. */
  Map<String, Object> clientConfig() throws IOException {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    if (kafkaProperties != null) {
      config.putAll(JobOptions.readProperties(kafkaProperties));
    }
    return config;
  }
}
