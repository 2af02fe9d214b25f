package org.interesttracker.consume;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.job.Topics;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serde.RecordDecodingException;

/** The record type a topic of the project carries: its name on the command line and its topic. */
public enum RecordKind {
  RECOMMENDATION(
      "recommendation",
      Topics.RECOMMENDATIONS,
      Recommendation.class,
      record -> Optional.of(((Recommendation) record).getUserId())),
  PROFILE(
      "profile",
      Topics.INTEREST_PROFILES,
      InterestProfile.class,
      record -> Optional.of(((InterestProfile) record).getUserId())),
  DEAD_LETTER("dead-letter", Topics.DEAD_LETTERS, DeadLetter.class, RecordKind::refusedEventUser),
  INTERACTION(
      "interaction",
      Topics.INTERACTIONS,
      InteractionEvent.class,
      record -> Optional.of(((InteractionEvent) record).getUserId()));

  private static final AvroCodec<InteractionEvent> EVENTS = AvroCodec.of(InteractionEvent.class);

  private final String cliName;
  private final String defaultTopic;
  private final Class<? extends SpecificRecord> type;
  private final Function<SpecificRecord, Optional<String>> user;

  RecordKind(
      String cliName,
      String defaultTopic,
      Class<? extends SpecificRecord> type,
      Function<SpecificRecord, Optional<String>> user) {
    this.cliName = cliName;
    this.defaultTopic = defaultTopic;
    this.type = type;
    this.user = user;
  }

  /** The kind called {@code name} on the command line ({@code dead-letter}, ...). */
  public static RecordKind named(String name) {
    return Arrays.stream(values())
        .filter(kind -> kind.cliName.equalsIgnoreCase(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'" + name + "' is not a record type; use one of " + cliNames()));
  }

  /** The kind whose default topic is {@code topic}, if it is one of the default names. */
  public static Optional<RecordKind> ofDefaultTopic(String topic) {
    return Arrays.stream(values()).filter(kind -> kind.defaultTopic.equals(topic)).findFirst();
  }

  public static String cliNames() {
    return String.join(
        ", ", Arrays.stream(values()).map(RecordKind::cliName).toArray(String[]::new));
  }

  public String cliName() {
    return cliName;
  }

  public String defaultTopic() {
    return defaultTopic;
  }

  public AvroCodec<? extends SpecificRecord> codec() {
    return AvroCodec.of(type);
  }

  /**
   * The user a record is about. A dead letter's is the user of the event it refused, when its raw
   * bytes are still an event (a late or invalid one), and none for bytes that are not.
   */
  public Optional<String> userOf(SpecificRecord record) {
    return user.apply(record);
  }

  private static Optional<String> refusedEventUser(SpecificRecord record) {
    DeadLetter letter = (DeadLetter) record;
    byte[] raw = new byte[letter.getRaw().remaining()];
    letter.getRaw().duplicate().get(raw);
    try {
      return Optional.of(EVENTS.decode(raw).getUserId());
    } catch (RecordDecodingException e) {
      return Optional.empty();
    }
  }
}
