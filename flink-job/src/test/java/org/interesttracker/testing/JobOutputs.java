package org.interesttracker.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.job.JobSettings;
import org.interesttracker.serde.RecordDecodingException;

/**
 * Every output topic's records per user, in the order each user's records were written (one user's
 * records share a partition). Comparing two of these compares whole runs.
 *
 * @param perTopic topic entry name -> user -> comparable records
 */
public record JobOutputs(Map<String, Map<String, List<String>>> perTopic) {

  /** What one uninterrupted, sequential pass over the events writes. */
  public static JobOutputs expected(JobSettings settings, List<InteractionEvent> events) {
    Map<String, Map<String, List<String>>> perTopic = new HashMap<>();
    for (OutputTopic<?> output : OutputTopic.ALL) {
      perTopic.put(output.name(), output.expectedPerUser(settings, events));
    }
    return new JobOutputs(perTopic);
  }

  /**
   * Reads every output topic as a {@code read_committed} consumer until it holds every record of
   * {@code expected}, then a while longer so that records beyond them (duplicates) are seen too.
   */
  public static JobOutputs await(
      String bootstrapServers, JobSettings settings, JobOutputs expected, Duration timeout)
      throws RecordDecodingException {
    Map<String, Map<String, List<String>>> perTopic = new HashMap<>();
    for (OutputTopic<?> output : OutputTopic.ALL) {
      perTopic.put(
          output.name(),
          read(
              bootstrapServers, settings, output, expected.perTopic().get(output.name()), timeout));
    }
    return new JobOutputs(perTopic);
  }

  /** The same records with every repeat of a record within a user's sequence removed. */
  public JobOutputs withoutRepeats() {
    Map<String, Map<String, List<String>>> distinct = new HashMap<>();
    perTopic.forEach(
        (topic, perUser) -> {
          Map<String, List<String>> users = new HashMap<>();
          perUser.forEach(
              (user, records) -> users.put(user, List.copyOf(new LinkedHashSet<>(records))));
          distinct.put(topic, users);
        });
    return new JobOutputs(distinct);
  }

  /** Records in all topics that repeat an earlier record of the same user. */
  public int repeats() {
    return count() - withoutRepeats().count();
  }

  public int count() {
    return perTopic.values().stream()
        .flatMap(perUser -> perUser.values().stream())
        .mapToInt(List::size)
        .sum();
  }

  private static <T extends SpecificRecord> Map<String, List<String>> read(
      String bootstrapServers,
      JobSettings settings,
      OutputTopic<T> output,
      Map<String, List<String>> expected,
      Duration timeout)
      throws RecordDecodingException {
    List<T> records =
        TopicContents.read(
            bootstrapServers,
            output.topic().apply(settings),
            output.type(),
            read -> containsAll(output.perUser(read), expected),
            timeout);
    return output.perUser(records);
  }

  private static boolean containsAll(
      Map<String, List<String>> actual, Map<String, List<String>> expected) {
    return expected.entrySet().stream()
        .allMatch(
            user -> actual.getOrDefault(user.getKey(), List.of()).containsAll(user.getValue()));
  }
}
