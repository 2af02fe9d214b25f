package org.interesttracker.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.Reason;
import org.interesttracker.avro.state.HistoryEntry;
import org.junit.jupiter.api.Test;

/**
 * The picker visits past events only as far as they can matter; it must pick exactly what ranking
 * every past event picks: the reference below, on random windows with repeated items, unknown
 * items, ties and zero weights.
 */
class ReasonPickerTest {
  private static final int FIRST_ITEM = 2;
  private static final int ITEMS = 40;
  private static final int DIM = 8;
  private static final StreamingStepManifest MANIFEST =
      new StreamingStepManifest(1, 50, 16, 4, DIM, List.of("home", "(scene-blind)"), "step.onnx");

  @Test
  void picksWhatRankingEveryPastEventPicks() {
    Random random = new Random(11);
    float[] values = new float[ITEMS * DIM];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    ItemEmbeddings embeddings = ItemEmbeddings.fromRowMajor(values, DIM);
    for (int reasons : new int[] {1, 3, 5}) {
      ReasonPicker picker = new ReasonPicker(embeddings, FIRST_ITEM, reasons);
      for (int trial = 0; trial < 300; trial++) {
        int events = 1 + random.nextInt(MANIFEST.keptEvents());
        List<HistoryEntry> history = new ArrayList<>();
        StreamingEvent[] tokens = new StreamingEvent[events];
        for (int e = 0; e < events; e++) {
          // Item 1 is unknown to the model: different ids, the same token.
          int item = random.nextInt(8) == 0 ? 1 : FIRST_ITEM + random.nextInt(12);
          String id = item == 1 ? "new-" + random.nextInt(3) : Integer.toString(item);
          history.add(new HistoryEntry(id, "home", EventType.VIEW, e * 1000L));
          tokens[e] = new StreamingEvent(item, 2, 3, e * 1000L);
        }
        StreamingUserCache cache = StreamingUserCache.ofTokens(MANIFEST, tokens);
        int count = Math.min(MANIFEST.historyLength(), events);
        float[] attention = new float[3 + MANIFEST.historyLength()];
        int firstWeight = 3 + MANIFEST.historyLength() - count;
        for (int p = 0; p < count; p++) {
          int kind = random.nextInt(4);
          attention[firstWeight + p] = kind == 0 ? 0f : kind == 1 ? 0.125f : random.nextFloat();
        }
        ReasonPicker.Window window = picker.window(history, cache, attention, firstWeight, count);
        for (int recommended = FIRST_ITEM; recommended < FIRST_ITEM + 6; recommended++) {
          assertThat(window.reasonsFor(recommended))
              .as("trial %d, %d reasons", trial, reasons)
              .isEqualTo(
                  reference(
                      history,
                      tokens,
                      attention,
                      firstWeight,
                      count,
                      embeddings,
                      recommended,
                      reasons));
        }
      }
    }
  }

  /** Every past event's relevance, then the most relevant, one per past item. */
  private static List<Reason> reference(
      List<HistoryEntry> history,
      StreamingEvent[] tokens,
      float[] attention,
      int firstWeight,
      int count,
      ItemEmbeddings embeddings,
      int recommended,
      int reasons) {
    int firstEntry = history.size() - count;
    float[] relevance = new float[count];
    for (int p = 0; p < count; p++) {
      int past = tokens[firstEntry + p].item();
      float similarity = past >= FIRST_ITEM ? embeddings.cosine(past, recommended) : 0f;
      relevance[p] = attention[firstWeight + p] * (1f + similarity) / 2f;
    }
    List<Reason> picked = new ArrayList<>();
    Set<String> named = new HashSet<>();
    while (picked.size() < reasons) {
      int best = -1;
      for (int p = 0; p < count; p++) {
        String id = history.get(firstEntry + p).getItemId();
        if (!named.contains(id) && (best < 0 || relevance[p] > relevance[best])) {
          best = p;
        }
      }
      if (best < 0) {
        break;
      }
      HistoryEntry past = history.get(firstEntry + best);
      named.add(past.getItemId());
      picked.add(new Reason(past.getItemId(), past.getScene(), attention[firstWeight + best]));
    }
    return picked;
  }
}
