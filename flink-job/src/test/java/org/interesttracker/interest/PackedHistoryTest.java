package org.interesttracker.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.state.HistoryEntry;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.job.JobSettings;
import org.junit.jupiter.api.Test;

class PackedHistoryTest {

  @Test
  void packedHistoryUnpacksToTheSameEntries() {
    List<HistoryEntry> entries =
        List.of(
            new HistoryEntry("item-1", "home", EventType.VIEW, 1_000L),
            new HistoryEntry("商品-ü", "搜索", EventType.PURCHASE, Long.MIN_VALUE),
            new HistoryEntry("x".repeat(2_048), "s", EventType.UNKNOWN, Long.MAX_VALUE));
    UserInterestState state = InterestUpdater.emptyState();
    state.setHistory(new ArrayList<>(entries));

    PackedHistory.unpack(state).pack(state);
    assertThat(state.getHistory()).isEmpty();
    assertThat(state.getHistoryLog().remaining()).isPositive();
    PackedHistory.unpack(state);

    assertThat(state.getHistory()).containsExactlyElementsOf(entries);
    assertThat(state.getHistoryLog().remaining()).isZero();
  }

  @Test
  void entriesKeptFromTheUnpackedHistoryPackAsTheyWereAroundNewOnes() {
    List<HistoryEntry> first = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      first.add(
          new HistoryEntry("item-" + i, i % 2 == 0 ? "home" : "搜索", EventType.VIEW, (long) i));
    }
    UserInterestState state = InterestUpdater.emptyState();
    state.setHistory(new ArrayList<>(first));
    PackedHistory.unpack(state).pack(state);

    PackedHistory history = PackedHistory.unpack(state);
    List<HistoryEntry> unpacked = state.getHistory();
    HistoryEntry late = new HistoryEntry("late-ü", "shop", EventType.CART, 3L);
    HistoryEntry newest = new HistoryEntry("newest", "home", EventType.PURCHASE, 9L);
    unpacked.remove(0); // the oldest drops out
    unpacked.add(3, late); // a late event lands between kept ones
    unpacked.add(newest);
    List<HistoryEntry> expected = List.copyOf(unpacked);
    history.pack(state);
    PackedHistory.unpack(state);

    assertThat(state.getHistory()).containsExactlyElementsOf(expected);
    assertThat(state.getHistory().get(3)).isEqualTo(late);
  }

  @Test
  void theStepStoresTheHistoryPackedAndReadsItBack() throws Exception {
    JobSettings settings = JobSettings.builder().bootstrapServers("unused").build();
    try (EventStep step = settings.eventStep(settings.interestRules(settings.loadModel()), 1)) {
      UserInterestState state = null;
      for (int i = 1; i <= 3; i++) {
        String id = "e" + i;
        state =
            step.apply("u", state, InterestUpdaterTest.event(id, "home", EventType.VIEW, i), 0L)
                .state();
        assertThat(state.getHistory()).isEmpty();
      }
      PackedHistory.unpack(state);
      assertThat(state.getHistory())
          .extracting(HistoryEntry::getItemId)
          .containsExactly("item-e1", "item-e2", "item-e3");
    }
  }

  @Test
  void aHistoryListWithoutBytesIsKeptAsItIs() {
    // State written before the packed layout: the list holds the history, the bytes are empty.
    UserInterestState state = InterestUpdater.emptyState();
    List<HistoryEntry> legacy = new ArrayList<>();
    legacy.add(new HistoryEntry("item-1", "home", EventType.CLICK, 5L));
    state.setHistory(legacy);

    PackedHistory.unpack(state);

    assertThat(state.getHistory()).containsExactly(legacy.get(0));
  }

  @Test
  void anEmptyHistoryRoundTrips() {
    UserInterestState state = InterestUpdater.emptyState();
    PackedHistory.unpack(state).pack(state);
    PackedHistory.unpack(state);
    assertThat(state.getHistory()).isEmpty();
  }

  @Test
  void anIdTooLongForTheLayoutIsRefused() {
    UserInterestState state = InterestUpdater.emptyState();
    state.getHistory().add(new HistoryEntry("x".repeat(70_000), "home", EventType.VIEW, 1L));
    assertThatThrownBy(() -> PackedHistory.unpack(state).pack(state))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000 UTF-8 bytes");
  }

  @Test
  void eventTypesKeepTheirPositions() {
    // The layout stores a type's position: symbols may be appended, never reordered or removed.
    assertThat(EventType.values())
        .startsWith(
            EventType.UNKNOWN,
            EventType.VIEW,
            EventType.CLICK,
            EventType.LIKE,
            EventType.CART,
            EventType.PURCHASE);
  }
}
