package org.interesttracker.interest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.interesttracker.avro.state.UserInterestState;

/**
 * The items of each scene's latest recommendation to a user, kept to score it against the user's
 * next event in that scene, in one bytes field of the state ({@code recommended_log}). As an Avro
 * map of string lists they were half the time it took to read and write a user's state, though an
 * event reads the list of one scene and replaces those of its target scenes: here it decodes just
 * that list, and the other scenes' bytes are copied as they are.
 *
 * <p>Layout: one entry per scene, one after another: the scene, the item count (uint16, big-endian)
 * and the item ids, strings as {@link PackedStrings} writes them. State written before this layout
 * keeps its map ({@code last_recommended}) until it is next written.
 */
final class PackedRecommendations {
  private PackedRecommendations() {}

  /** The items last recommended to the user in {@code scene}, or null if none was. */
  static List<String> itemsFor(UserInterestState state, String scene) {
    if (!state.getLastRecommended().isEmpty()) {
      return state.getLastRecommended().get(scene);
    }
    ByteBuffer log = state.getRecommendedLog().duplicate();
    while (log.hasRemaining()) {
      if (PackedStrings.read(log).equals(scene)) {
        return readItems(log);
      }
      skipItems(log);
    }
    return null;
  }

  /**
   * The state's recommendations with {@code latest} in place of those of their scenes, to {@link
   * #store}; changes nothing.
   */
  static ByteBuffer with(UserInterestState state, List<Recommendation> latest) {
    List<String> scenes = new ArrayList<>(latest.size());
    for (Recommendation recommendation : latest) {
      scenes.add(recommendation.getScene());
    }
    return rewrite(state, scenes, latest);
  }

  /** Makes {@code log}, from {@link #with}, the state's recommendations. */
  static void store(UserInterestState state, ByteBuffer log) {
    state.setRecommendedLog(log);
    state.getLastRecommended().clear();
  }

  /** Forgets the recommendation of {@code scene}. */
  static void remove(UserInterestState state, String scene) {
    store(state, rewrite(state, List.of(scene), List.of()));
  }

  private static ByteBuffer rewrite(
      UserInterestState state, List<String> replaced, List<Recommendation> added) {
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, List<String>> kept : state.getLastRecommended().entrySet()) {
      if (!replaced.contains(kept.getKey())) {
        entries.add(Entry.of(kept.getKey(), kept.getValue()));
      }
    }
    for (Recommendation recommendation : added) {
      List<String> items = new ArrayList<>(recommendation.getItems().size());
      for (RecommendedItem item : recommendation.getItems()) {
        items.add(item.getItemId());
      }
      entries.add(Entry.of(recommendation.getScene(), items));
    }
    ByteBuffer source = state.getRecommendedLog().duplicate();
    int bytes = source.remaining();
    for (Entry entry : entries) {
      bytes += entry.size();
    }
    // At most the source and the new entries: a replaced entry's bytes leave room unused.
    ByteBuffer log = ByteBuffer.allocate(bytes);
    while (source.hasRemaining()) {
      int start = source.position();
      boolean keep = !replaced.contains(PackedStrings.read(source));
      skipItems(source);
      if (keep) {
        log.put(source.duplicate().position(start).limit(source.position()));
      }
    }
    entries.forEach(entry -> entry.writeTo(log));
    return log.flip();
  }

  /** Reads the item count and the items that follow an entry's scene. */
  private static List<String> readItems(ByteBuffer log) {
    int count = Short.toUnsignedInt(log.getShort());
    List<String> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(PackedStrings.read(log));
    }
    return items;
  }

  /** Moves past the item count and the items that follow an entry's scene. */
  private static void skipItems(ByteBuffer log) {
    int count = Short.toUnsignedInt(log.getShort());
    for (int i = 0; i < count; i++) {
      PackedStrings.skip(log);
    }
  }

  /** One scene's entry, encoded. */
  private record Entry(byte[] scene, List<byte[]> items) {
    static Entry of(String scene, List<String> itemIds) {
      List<byte[]> items = new ArrayList<>(itemIds.size());
      for (String id : itemIds) {
        items.add(PackedStrings.utf8(id));
      }
      return new Entry(PackedStrings.utf8(scene), items);
    }

    int size() {
      int size = PackedStrings.size(scene) + Short.BYTES;
      for (byte[] item : items) {
        size += PackedStrings.size(item);
      }
      return size;
    }

    void writeTo(ByteBuffer out) {
      PackedStrings.write(out, scene);
      out.putShort((short) items.size());
      items.forEach(item -> PackedStrings.write(out, item));
    }
  }
}
