package org.interesttracker.serving;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * The step graph's inputs for up to {@code capacity} users, in direct buffers that ONNX Runtime
 * reads in place: filled row by row from each user's cache, run, cleared, filled again, so steady
 * state allocates no input memory. Layouts follow the contract: windows and caches oldest first,
 * left-padded (padding has token 0, age 0, mask 0). A contract-2 step also reads each row's request
 * age.
 */
public final class StreamingStepBatch {
  final int capacity;
  final int window;
  final int cachedEvents;
  final int cacheDim;
  final LongBuffer items;
  final LongBuffer scenes;
  final LongBuffer eventTypes;
  final LongBuffer windowItems;
  final LongBuffer windowScenes;
  final LongBuffer windowEventTypes;
  final FloatBuffer ages;
  final FloatBuffer cache;
  final FloatBuffer cacheMask;
  final FloatBuffer requestAges;
  private int size;

  StreamingStepBatch(StreamingStepManifest manifest, int capacity) {
    this.capacity = capacity;
    window = manifest.encoderWindow();
    cachedEvents = manifest.cachedEvents();
    cacheDim = manifest.cacheDim();
    items = longs(capacity);
    scenes = longs(capacity);
    eventTypes = longs(capacity);
    windowItems = longs(capacity * window);
    windowScenes = longs(capacity * window);
    windowEventTypes = longs(capacity * window);
    ages = floats(capacity * cachedEvents);
    cache = floats(capacity * cachedEvents * cacheDim);
    cacheMask = floats(capacity * cachedEvents);
    requestAges = floats(capacity);
  }

  /**
   * Adds a row: {@code event} arriving for {@code user}, whose state is read, not changed; the
   * read-outs are requested at the event.
   */
  public int add(StreamingUserCache user, StreamingEvent event) {
    return add(user, event, 0f);
  }

  /** Adds a row whose read-outs are requested {@code requestAgeSeconds} after the event. */
  public int add(StreamingUserCache user, StreamingEvent event, float requestAgeSeconds) {
    int row = add(user, event, user.events(), user.cachedVectors());
    requestAges.put(row, requestAgeSeconds);
    return row;
  }

  /**
   * Adds a row that only computes the vector of the user's kept event {@code position}: that event
   * arriving after the tokens before it, with no cached vector (a vector depends on its event and
   * the window's tokens alone, so its other outputs are not used).
   */
  int addEncoding(StreamingUserCache user, int position) {
    StreamingEvent event =
        new StreamingEvent(
            user.item(position),
            user.scene(position),
            user.eventType(position),
            user.timeMs(position));
    return add(user, event, position, 0);
  }

  /** A row for {@code event} after the user's first {@code events} tokens and newest vectors. */
  private int add(StreamingUserCache user, StreamingEvent event, int events, int cached) {
    if (size == capacity) {
      throw new IllegalStateException("batch is full: " + capacity + " rows");
    }
    int row = size++;
    requestAges.put(row, 0f);
    items.put(row, event.item());
    scenes.put(row, event.scene());
    eventTypes.put(row, event.eventType());
    for (int slot = 0; slot < window; slot++) {
      int source = events - window + slot;
      boolean real = source >= 0;
      windowItems.put(row * window + slot, real ? user.item(source) : 0L);
      windowScenes.put(row * window + slot, real ? user.scene(source) : 0L);
      windowEventTypes.put(row * window + slot, real ? user.eventType(source) : 0L);
    }
    // Ages cover the previous L - 1 events even where no vector is cached (while rebuilding):
    // the encoder reads the window's gaps from them.
    for (int slot = 0; slot < cachedEvents; slot++) {
      int source = events - cachedEvents + slot;
      int index = row * cachedEvents + slot;
      ages.put(index, source >= 0 ? (float) ((event.timeMs() - user.timeMs(source)) / 1000.0) : 0f);
      cacheMask.put(index, slot >= cachedEvents - cached ? 1f : 0f);
    }
    int firstFloat = row * cachedEvents * cacheDim;
    int padding = (cachedEvents - cached) * cacheDim;
    for (int i = 0; i < padding; i++) {
      cache.put(firstFloat + i, 0f);
    }
    cache.put(firstFloat + padding, user.cache(), 0, cached * cacheDim);
    return row;
  }

  public void clear() {
    size = 0;
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return capacity;
  }

  private static LongBuffer longs(int count) {
    return ByteBuffer.allocateDirect(count * Long.BYTES)
        .order(ByteOrder.nativeOrder())
        .asLongBuffer();
  }

  private static FloatBuffer floats(int count) {
    return ByteBuffer.allocateDirect(count * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }
}
