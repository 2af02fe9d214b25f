package org.interesttracker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.interesttracker.popularity.LivePopularityTable;
import org.interesttracker.popularity.PopularityRule;
import org.interesttracker.popularity.PopularityUpdate;
import org.interesttracker.serving.Vocabulary;

/**
 * What live popularity costs a scoring instance at a large catalogue, beside the whole job's CPU
 * per event with and without it: the CPU to turn the table into a model's popularity column at a
 * new boundary (once per boundary and model version that an event reads) and into one scene's list
 * for new users (once per boundary, model version and scene), and the heap the table holds per
 * item, which has a weight over every scene and one in one of {@value #SCENES} scenes.
 */
final class LivePopularityCost {
  private static final PopularityRule RULE = new PopularityRule(168.0, 900_000L, 0.01, 600_000L);
  private static final long BOUNDARY = 1_700_000_000_000L / 900_000L * 900_000L;
  private static final int SCENES = 8;
  private static final int NEW_USER_ITEMS = 100;

  /**
   * @param msPerSnapshot CPU for one column, median of the rounds
   * @param msPerNewUserList CPU for one scene's list, median of the rounds
   */
  record Figures(
      int items, double msPerSnapshot, double msPerNewUserList, double heapBytesPerItem) {}

  private LivePopularityCost() {}

  static Figures measure(int items, int rounds) {
    List<String> tokens = new ArrayList<>(items + 2);
    tokens.add("<pad>");
    tokens.add("<unknown>");
    for (int i = 0; i < items; i++) {
      tokens.add("item-" + i);
    }
    Vocabulary vocabulary = new Vocabulary(tokens, 1);
    long heapBefore = usedHeap();
    LivePopularityTable table = new LivePopularityTable(RULE);
    Random random = new Random(7);
    for (int i = 0; i < items; i++) {
      // Zipf-like weights over at least the minimum, published at boundaries of the last day: every
      // item stays in the table.
      double weight = 1.0 + 100.0 / (1 + i);
      long at = BOUNDARY - 900_000L * random.nextInt(96);
      table.add(new PopularityUpdate(tokens.get(i + 2), weight, at));
      table.add(new PopularityUpdate("scene-" + i % SCENES, tokens.get(i + 2), weight, at));
    }
    table.advanceBase(BOUNDARY);
    double heapPerItem = (double) (usedHeap() - heapBefore) / items;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Double> columnMillis = new ArrayList<>();
    List<Double> listMillis = new ArrayList<>();
    for (int round = 0; round < Math.max(rounds, 3); round++) {
      long boundary = BOUNDARY + 900_000L * round;
      long started = threads.getCurrentThreadCpuTime();
      float[] column = table.logShares(vocabulary, 2, boundary);
      long columnDone = threads.getCurrentThreadCpuTime();
      int listed = table.mostPopular("scene-0", vocabulary, 2, boundary, NEW_USER_ITEMS).size();
      listMillis.add((threads.getCurrentThreadCpuTime() - columnDone) / 1e6);
      columnMillis.add((columnDone - started) / 1e6);
      if (column.length != tokens.size() || listed != NEW_USER_ITEMS) {
        throw new IllegalStateException("a column of " + column.length + ", a list of " + listed);
      }
    }
    return new Figures(items, Median.of(columnMillis), Median.of(listMillis), heapPerItem);
  }

  private static long usedHeap() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
