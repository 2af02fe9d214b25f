package org.interesttracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.interesttracker.deploy.TopicSetup;
import org.interesttracker.local.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command that the docker-compose topic service runs, against a real broker. */
class CreateTopicsCommandITCase {
  // One broker per test: each test starts from a cluster without topics.
  private EmbeddedKafkaBroker kafka;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void startKafka() {
    kafka = new EmbeddedKafkaBroker().start();
  }

  @AfterEach
  void stopKafka() {
    kafka.close();
  }

  @Test
  void createsTheDeploymentTopicsOnceAndAcceptsThemOnTheNextStart() throws Exception {
    assertThat(run("create-topics", "--bootstrap-servers", kafka.bootstrapServers())).isZero();
    assertThat(out.toString())
        .contains("interactions (8 partitions): CREATED")
        .contains("interest-profiles (8 partitions): CREATED")
        .contains("recommendations (8 partitions): CREATED")
        .contains("dead-letters (2 partitions): CREATED");
    assertThat(partitionCounts())
        .containsAllEntriesOf(
            Map.of(
                "interactions", 8, "interest-profiles", 8, "recommendations", 8, "dead-letters", 2))
        .containsAllEntriesOf(Map.of("interest-tracker-control", 1))
        .containsAllEntriesOf(TopicSetup.DEFAULT_PARTITIONS);
    assertThat(cleanupPolicy("interest-profiles")).isEqualTo("compact");
    assertThat(cleanupPolicy("recommendations")).isEqualTo("delete");

    assertThat(run("create-topics", "--bootstrap-servers", kafka.bootstrapServers())).isZero();
    assertThat(out.toString()).contains("interactions (8 partitions): ALREADY_EXISTED");
  }

  @Test
  void refusesAnExistingTopicWithAnotherPartitionCount() {
    kafka.createTopics(3, "three-partitions");

    int exitCode =
        run(
            "create-topics",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--partitions",
            "three-partitions=4");

    assertThat(exitCode).isEqualTo(1);
    assertThat(err.toString()).contains("three-partitions has 3 partitions, expected 4");
  }

  private int run(String... args) {
    CommandLine cli = InterestTrackerCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private String cleanupPolicy(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = kafka.admin()) {
      return admin
          .describeConfigs(List.of(resource))
          .all()
          .get()
          .get(resource)
          .get(TopicConfig.CLEANUP_POLICY_CONFIG)
          .value();
    }
  }

  private Map<String, Integer> partitionCounts() throws Exception {
    try (Admin admin = kafka.admin()) {
      Map<String, TopicDescription> topics =
          admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get();
      return topics.values().stream()
          .collect(Collectors.toMap(TopicDescription::name, topic -> topic.partitions().size()));
    }
  }
}
