package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.interesttracker.avro.DeadLetterReason;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final Map<DeadLetterReason, Long> deadLetters = new TreeMap<>();
  private final ProgressLine line =
      new ProgressLine(
          sent::get,
          answered::get,
          answered::get,
          () -> Map.copyOf(deadLetters),
          () -> 2L,
          Optional::empty);

  @Test
  void saysWhatTheJobProcessedAndWhatIsStillWaiting() {
    sent.set(100);
    answered.set(60);
    deadLetters.put(DeadLetterReason.UNDECODABLE, 3L);

    assertThat(line.get())
        .contains("sent       100")
        .contains("processed        65")
        .contains("recommendations        60")
        .contains("lag      35")
        .contains("dead letters 3 {UNDECODABLE=3}");
  }

  @Test
  void staysQuietUntilSomethingMovesThenShowsWhyRecordsWereRefused() {
    sent.set(10);
    answered.set(8);
    assertThat(line.get()).isNotEmpty();
    assertThat(line.get()).isEmpty();

    // A replay from elsewhere into the running stack, all of it too late for its users.
    deadLetters.put(DeadLetterReason.TOO_LATE, 5000L);

    assertThat(line.get()).contains("processed     5,010").contains("TOO_LATE=5000");
  }
}
