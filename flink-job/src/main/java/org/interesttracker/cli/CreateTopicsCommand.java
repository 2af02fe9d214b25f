package org.interesttracker.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.interesttracker.deploy.TopicSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code create-topics}: creates the deployment's topics, or checks them if they exist. */
@Command(
    name = "create-topics",
    mixinStandardHelpOptions = true,
    description = {
      "Creates the job's topics with fixed partition counts (interactions 8, interest-profiles 8,"
          + " recommendations 8, dead-letters 2); existing topics are kept and checked.",
      "Exits with 1 when an existing topic has a different partition count."
    })
final class CreateTopicsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--partitions",
      paramLabel = "TOPIC=COUNT",
      description = "Partition count of a topic, repeatable; adds to or overrides the defaults.")
  Map<String, Integer> partitionOverrides = new LinkedHashMap<>();

  @Option(
      names = "--replication-factor",
      paramLabel = "N",
      description =
          "Replicas of each new topic (default: the broker's default.replication.factor).")
  Short replicationFactor;

  @Override
  public Integer call() throws Exception {
    Map<String, Integer> partitions = new LinkedHashMap<>(TopicSetup.DEFAULT_PARTITIONS);
    partitions.putAll(partitionOverrides);
    PrintWriter out = spec.commandLine().getOut();
    kafka.requireTopic(null);
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      new TopicSetup(admin, Optional.ofNullable(replicationFactor))
          .ensure(partitions)
          .forEach(
              (topic, outcome) ->
                  out.printf("%s (%d partitions): %s%n", topic, partitions.get(topic), outcome));
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
    out.flush();
    return 0;
  }
}
