package org.interesttracker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {
  private static final long MS = 1_000_000;

  private long now;
  private final List<Long> sleeps = new ArrayList<>();

  private Pacer pacer(double eventsPerSecond) {
    return new Pacer(
        eventsPerSecond,
        () -> now,
        nanos -> {
          sleeps.add(nanos);
          now += nanos;
        });
  }

  @Test
  void spacesSendsEvenlyAtTheTargetRate() throws Exception {
    Pacer pacer = pacer(100);

    for (int i = 0; i < 4; i++) {
      pacer.awaitNext();
    }

    assertThat(sleeps).containsExactly(10 * MS, 10 * MS, 10 * MS);
    assertThat(now).isEqualTo(30 * MS);
  }

  @Test
  void catchesUpAfterAStallInsteadOfFallingBehind() throws Exception {
    Pacer pacer = pacer(100);
    pacer.awaitNext();
    now += 25 * MS; // the producer blocked for two and a half intervals

    pacer.awaitNext();
    pacer.awaitNext();
    pacer.awaitNext();

    // Sends 2 and 3 were due at 10 and 20 ms: no waiting; send 4 is due at 30 ms.
    assertThat(sleeps).containsExactly(5 * MS);
  }

  @Test
  void neverWaitsWhenUnlimited() throws Exception {
    Pacer pacer = pacer(ReplaySettings.AS_FAST_AS_POSSIBLE);

    for (int i = 0; i < 1000; i++) {
      pacer.awaitNext();
    }

    assertThat(sleeps).isEmpty();
  }
}
