package org.interesttracker.serving;

import java.util.ArrayList;
import java.util.List;
import org.interesttracker.avro.Reason;
import org.interesttracker.avro.state.HistoryEntry;

/**
 * Picks the reasons for a recommended item: the past events of the read-out's attention window
 * ranked by relevance = attention x (1 + cosine(past item, recommended item)) / 2, a past item the
 * user came back to named once, at its most relevant occurrence (ties to the older event).
 *
 * <p>Relevance never exceeds attention, so past events are visited in order of attention and the
 * visit stops as soon as enough distinct items are more relevant than anything left could be: with
 * attention concentrated on a few events, a handful of similarities instead of one per past event,
 * and the same reasons.
 */
final class ReasonPicker {
  private final ItemEmbeddings embeddings;
  private final int firstItem;
  private final int reasons;
  private int[] byAttention = new int[0];
  private String[] itemIds = new String[0];
  private float[] best = new float[0];
  private int[] bestPosition = new int[0];

  ReasonPicker(ItemEmbeddings embeddings, int firstItem, int reasons) {
    this.embeddings = embeddings;
    this.firstItem = firstItem;
    this.reasons = reasons;
  }

  /**
   * The window of one read-out: the last {@code count} events of {@code history} (oldest first),
   * their item indices in {@code cache}, their weights {@code attention[firstWeight ..]}. Valid
   * until the next call.
   */
  Window window(
      List<HistoryEntry> history,
      StreamingUserCache cache,
      float[] attention,
      int firstWeight,
      int count) {
    if (byAttention.length < count) {
      byAttention = new int[count];
      itemIds = new String[count];
      best = new float[count];
      bestPosition = new int[count];
    }
    // Insertion sort by attention, descending, older first among equals: L is small.
    for (int p = 0; p < count; p++) {
      int at = p;
      while (at > 0 && attention[firstWeight + byAttention[at - 1]] < attention[firstWeight + p]) {
        byAttention[at] = byAttention[at - 1];
        at--;
      }
      byAttention[at] = p;
    }
    return new Window(history, cache, attention, firstWeight, count);
  }

  /** One read-out's window, from which each recommended item's reasons are picked. */
  final class Window {
    private final List<HistoryEntry> history;
    private final StreamingUserCache cache;
    private final float[] attention;
    private final int firstWeight;
    private final int count;
    private final int firstEntry;

    private Window(
        List<HistoryEntry> history,
        StreamingUserCache cache,
        float[] attention,
        int firstWeight,
        int count) {
      this.history = history;
      this.cache = cache;
      this.attention = attention;
      this.firstWeight = firstWeight;
      this.count = count;
      this.firstEntry = history.size() - count;
    }

    List<Reason> reasonsFor(int recommended) {
      int distinct = 0;
      for (int visited = 0; visited < count; visited++) {
        int p = byAttention[visited];
        float weight = attention[firstWeight + p];
        if (moreRelevantThan(weight, distinct) >= reasons) {
          break;
        }
        int pastItem = cache.item(firstEntry + p);
        float similarity = pastItem >= firstItem ? embeddings.cosine(pastItem, recommended) : 0f;
        float relevance = weight * (1f + similarity) / 2f;
        String itemId = history.get(firstEntry + p).getItemId();
        int slot = slotOf(itemId, distinct);
        if (slot == distinct) {
          itemIds[distinct++] = itemId;
          best[slot] = relevance;
          bestPosition[slot] = p;
        } else if (relevance > best[slot] || (relevance == best[slot] && p < bestPosition[slot])) {
          best[slot] = relevance;
          bestPosition[slot] = p;
        }
      }
      return mostRelevant(distinct);
    }

    private int moreRelevantThan(float bound, int distinct) {
      int above = 0;
      for (int slot = 0; slot < distinct; slot++) {
        if (best[slot] > bound) {
          above++;
        }
      }
      return above;
    }

    private int slotOf(String itemId, int distinct) {
      for (int slot = 0; slot < distinct; slot++) {
        if (itemIds[slot].equals(itemId)) {
          return slot;
        }
      }
      return distinct;
    }

    private List<Reason> mostRelevant(int distinct) {
      List<Reason> picked = new ArrayList<>(reasons);
      boolean[] used = new boolean[distinct];
      while (picked.size() < Math.min(reasons, distinct)) {
        int top = -1;
        for (int slot = 0; slot < distinct; slot++) {
          if (!used[slot]
              && (top < 0
                  || best[slot] > best[top]
                  || (best[slot] == best[top] && bestPosition[slot] < bestPosition[top]))) {
            top = slot;
          }
        }
        used[top] = true;
        HistoryEntry past = history.get(firstEntry + bestPosition[top]);
        picked.add(
            new Reason(
                past.getItemId(), past.getScene(), attention[firstWeight + bestPosition[top]]));
      }
      return picked;
    }
  }
}
