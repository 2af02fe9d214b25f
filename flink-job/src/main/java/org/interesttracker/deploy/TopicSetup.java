package org.interesttracker.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.interesttracker.job.Topics;

/**
 * Creates the topics a deployment needs, with fixed partition counts, and checks topics that
 * already exist. Safe to run on every start-up: existing topics are left alone, but one with a
 * different partition count is an error, because adding partitions later moves users to other
 * partitions and breaks the per-user order of the input.
 */
public final class TopicSetup {
  /**
   * The partition counts of a deployment. The input and the per-event outputs allow up to 8
   * parallel consumers; dead letters are rare; the control topic has one partition, so requests
   * apply in the order they were sent, and its answers on the operations topic are few.
   */
  public static final Map<String, Integer> DEFAULT_PARTITIONS = defaultPartitions();

  /**
   * Topic settings of a new topic. Profiles are compacted: a consumer reading from the start gets
   * each user's latest profile, and a forgotten user's tombstone removes theirs.
   */
  private static final Map<String, Map<String, String>> CONFIGS =
      Map.of(Topics.INTEREST_PROFILES, Map.of("cleanup.policy", "compact"));

  /** What happened to one topic. */
  public enum Outcome {
    CREATED,
    ALREADY_EXISTED
  }

  private static final Duration METADATA_PROPAGATION = Duration.ofSeconds(30);

  private final Admin admin;
  private final Optional<Short> replicationFactor;

  /**
   * @param replicationFactor empty to use the broker's {@code default.replication.factor}
   */
  public TopicSetup(Admin admin, Optional<Short> replicationFactor) {
    this.admin = admin;
    this.replicationFactor = replicationFactor;
  }

  /**
   * Creates the missing topics, then checks that every topic has its partition count.
   *
   * @throws IllegalStateException naming every topic whose partition count differs
   */
  public Map<String, Outcome> ensure(Map<String, Integer> partitions)
      throws ExecutionException, InterruptedException {
    Set<String> existing = admin.listTopics().names().get();
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> topic : partitions.entrySet()) {
      boolean created =
          !existing.contains(topic.getKey()) && create(topic.getKey(), topic.getValue());
      outcomes.put(topic.getKey(), created ? Outcome.CREATED : Outcome.ALREADY_EXISTED);
    }
    requirePartitionCounts(partitions);
    return outcomes;
  }

  /** Returns false when another client created the topic first. */
  private boolean create(String topic, int partitions)
      throws ExecutionException, InterruptedException {
    try {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, Optional.of(partitions), replicationFactor)
                      .configs(CONFIGS.getOrDefault(topic, Map.of()))))
          .all()
          .get();
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw e;
    }
  }

  private void requirePartitionCounts(Map<String, Integer> partitions)
      throws ExecutionException, InterruptedException {
    Map<String, TopicDescription> descriptions = describe(partitions.keySet());
    List<String> mismatches = new ArrayList<>();
    partitions.forEach(
        (topic, expected) -> {
          int actual = descriptions.get(topic).partitions().size();
          if (actual != expected) {
            mismatches.add("%s has %d partitions, expected %d".formatted(topic, actual, expected));
          }
        });
    if (!mismatches.isEmpty()) {
      throw new IllegalStateException(String.join("; ", mismatches));
    }
  }

  /**
   * A topic just created is known to the controller before every broker serves its metadata, so
   * describing it may fail for a moment.
   */
  private Map<String, TopicDescription> describe(Set<String> topics)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + METADATA_PROPAGATION.toNanos();
    while (true) {
      try {
        return admin.describeTopics(topics).allTopicNames().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static Map<String, Integer> defaultPartitions() {
    Map<String, Integer> partitions = new LinkedHashMap<>();
    partitions.put(Topics.INTERACTIONS, 8);
    partitions.put(Topics.INTEREST_PROFILES, 8);
    partitions.put(Topics.RECOMMENDATIONS, 8);
    partitions.put(Topics.DEAD_LETTERS, 2);
    partitions.put(Topics.CONTROL, 1);
    partitions.put(Topics.OPERATIONS, 1);
    return Collections.unmodifiableMap(partitions);
  }
}
