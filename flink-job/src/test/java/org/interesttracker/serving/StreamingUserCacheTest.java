package org.interesttracker.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamingUserCacheTest {
  private static final StreamingStepManifest MANIFEST = DefaultModel.load().step();

  @Test
  void distinctItemsAreTheKeptItemsFromTheFirstItemOnSortedOnce() {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      StreamingEvent[] events = new StreamingEvent[random.nextInt(2 * MANIFEST.keptEvents())];
      for (int i = 0; i < events.length; i++) {
        events[i] = new StreamingEvent(1 + random.nextInt(12), 1, 1, 1_000L * i);
      }
      StreamingUserCache user = StreamingUserCache.ofTokens(MANIFEST, events);
      int firstItem = 1 + random.nextInt(4);

      int[] expected =
          Arrays.stream(events, Math.max(0, events.length - MANIFEST.keptEvents()), events.length)
              .mapToInt(StreamingEvent::item)
              .filter(item -> item >= firstItem)
              .sorted()
              .distinct()
              .toArray();
      assertThat(user.distinctItems(firstItem)).containsExactly(expected);
    }
  }
}
