package org.interesttracker.serving;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One user's serving state for the streaming model, in primitive arrays: the compact token history
 * of the last L - 1 + W events (item index, scene, event type, time) and the cached vectors of the
 * last L - 1 of them, oldest first. A cached vector depends only on its event and the W tokens
 * before it, so the tokens are enough to rebuild the vectors after a late event or for a new model.
 *
 * <p>Binary layout ({@link #writeTo}, in the buffer's byte order): event count (int32), cached
 * count (int32), then per kept event item (int32), scene (uint8), event type (uint8), time in ms
 * (int64), then the cached vectors as float32, oldest first.
 */
public final class StreamingUserCache {
  /** Item (int32), scene and event type (one byte each), time (int64). */
  private static final int TOKEN_BYTES = Integer.BYTES + 2 + Long.BYTES;

  private final int keptCapacity;
  private final int cachedCapacity;
  private final int cacheDim;
  private final int[] items;
  private final byte[] scenes;
  private final byte[] eventTypes;
  private final long[] timesMs;
  private final float[] cache;
  private int events;
  private int cached;

  public StreamingUserCache(StreamingStepManifest manifest) {
    this(manifest.keptEvents(), manifest.cachedEvents(), manifest.cacheDim());
  }

  private StreamingUserCache(int keptCapacity, int cachedCapacity, int cacheDim) {
    this.keptCapacity = keptCapacity;
    this.cachedCapacity = cachedCapacity;
    this.cacheDim = cacheDim;
    items = new int[keptCapacity];
    scenes = new byte[keptCapacity];
    eventTypes = new byte[keptCapacity];
    timesMs = new long[keptCapacity];
    cache = new float[cachedCapacity * cacheDim];
  }

  public int events() {
    return events;
  }

  public int cachedVectors() {
    return cached;
  }

  /** True when an event at {@code timeMs} arrives after a newer one: it needs a rebuild. */
  private boolean isLate(long timeMs) {
    return events > 0 && timeMs < timesMs[events - 1];
  }

  /** The item index of kept event {@code event}, oldest first. */
  int item(int event) {
    return items[event];
  }

  int scene(int event) {
    return Byte.toUnsignedInt(scenes[event]);
  }

  int eventType(int event) {
    return Byte.toUnsignedInt(eventTypes[event]);
  }

  long timeMs(int event) {
    return timesMs[event];
  }

  /** The cached vectors, oldest first: {@code cachedVectors() * cacheDim} floats from index 0. */
  float[] cache() {
    return cache;
  }

  /** Appends an event that is not older than the newest kept one, with its cached vector. */
  void append(StreamingEvent event, float[] vectors, int offset) {
    if (events == keptCapacity) {
      shiftTokens(1);
    }
    setToken(events++, event);
    if (cached == cachedCapacity) {
      System.arraycopy(cache, cacheDim, cache, 0, (cachedCapacity - 1) * cacheDim);
      cached--;
    }
    System.arraycopy(vectors, offset, cache, cached * cacheDim, cacheDim);
    cached++;
  }

  /**
   * Appends the token of an event whose vector is not computed yet: a rebuild encodes several of a
   * user's events in one call, then {@link #truncate}s and {@link #append}s them with vectors.
   */
  void appendToken(StreamingEvent event) {
    if (events == keptCapacity) {
      throw new IllegalStateException("the token history is full: " + keptCapacity + " events");
    }
    setToken(events++, event);
  }

  /** Keeps the oldest {@code kept} tokens, which must have no vector. */
  void truncate(int kept) {
    if (kept > events || cached > 0) {
      throw new IllegalStateException(
          "cannot keep " + kept + " of " + events + " tokens with " + cached + " vectors");
    }
    events = kept;
  }

  /**
   * A user's state with the tokens of {@code events} (oldest first; the newest kept if there are
   * more) and no cached vectors: the next step rebuilds them ({@link #needsReplay}).
   */
  public static StreamingUserCache ofTokens(
      StreamingStepManifest manifest, StreamingEvent[] events) {
    StreamingUserCache user = new StreamingUserCache(manifest);
    int from = Math.max(0, events.length - user.keptCapacity);
    for (int i = from; i < events.length; i++) {
      user.setToken(user.events++, events[i]);
    }
    return user;
  }

  /**
   * True when an event at {@code timeMs} cannot be stepped against the cached vectors: it arrives
   * after a newer event, or some kept events have no vector yet (see {@link #ofTokens}).
   */
  public boolean needsReplay(long timeMs) {
    return isLate(timeMs) || cached < Math.min(events, cachedCapacity);
  }

  /** The distinct item indices of the kept events from {@code firstItem} on, sorted. */
  public int[] distinctItems(int firstItem) {
    // Runs for every event: sorting a copy in place costs less than a stream pipeline.
    int[] sorted = Arrays.copyOf(items, events);
    Arrays.sort(sorted);
    int kept = 0;
    for (int item : sorted) {
      if (item >= firstItem && (kept == 0 || sorted[kept - 1] != item)) {
        sorted[kept++] = item;
      }
    }
    return Arrays.copyOf(sorted, kept);
  }

  /**
   * Inserts an event among the kept tokens in time order (after events at the same time), drops
   * every cached vector and keeps only the events before the newest {@code replayed}; returns those
   * newest events, oldest first, for the caller to step through again. An event older than every
   * kept event of a full history takes the place of the forgotten ones before them: it enters the
   * windows of the oldest replayed events and then falls out of the kept history.
   */
  StreamingEvent[] insertAndTakeReplay(StreamingEvent late, int replayed) {
    StreamingEvent[] all = new StreamingEvent[events + 1];
    int position = 0;
    while (position < events && timesMs[position] <= late.timeMs()) {
      position++;
    }
    for (int i = 0, source = 0; i < all.length; i++) {
      all[i] = i == position ? late : eventAt(source++);
    }
    int replay = Math.min(all.length, replayed);
    events = 0;
    cached = 0;
    for (int i = 0; i < all.length - replay; i++) {
      setToken(events++, all[i]);
    }
    StreamingEvent[] toReplay = new StreamingEvent[replay];
    System.arraycopy(all, all.length - replay, toReplay, 0, replay);
    return toReplay;
  }

  /** A copy that later steps of this one do not change. */
  public StreamingUserCache copy() {
    StreamingUserCache copy = new StreamingUserCache(keptCapacity, cachedCapacity, cacheDim);
    copy.restore(this);
    return copy;
  }

  /** Makes this state what {@code other} (of the same model) holds. */
  public void restore(StreamingUserCache other) {
    System.arraycopy(other.items, 0, items, 0, other.events);
    System.arraycopy(other.scenes, 0, scenes, 0, other.events);
    System.arraycopy(other.eventTypes, 0, eventTypes, 0, other.events);
    System.arraycopy(other.timesMs, 0, timesMs, 0, other.events);
    System.arraycopy(other.cache, 0, cache, 0, other.cached * cacheDim);
    events = other.events;
    cached = other.cached;
  }

  /** Bytes {@link #writeTo} writes for the current contents. */
  public int serializedBytes() {
    return 2 * Integer.BYTES + events * TOKEN_BYTES + cached * cacheDim * Float.BYTES;
  }

  public void writeTo(ByteBuffer out) {
    out.putInt(events).putInt(cached);
    for (int i = 0; i < events; i++) {
      out.putInt(items[i]).put(scenes[i]).put(eventTypes[i]).putLong(timesMs[i]);
    }
    int floats = cached * cacheDim;
    // One bulk copy, not a call per float: this runs for every event.
    out.asFloatBuffer().put(cache, 0, floats);
    out.position(out.position() + floats * Float.BYTES);
  }

  /** Reads what {@link #writeTo} wrote, for a model with the given manifest's sizes. */
  public static StreamingUserCache readFrom(ByteBuffer in, StreamingStepManifest manifest) {
    StreamingUserCache user = new StreamingUserCache(manifest);
    int events = in.getInt();
    int cached = in.getInt();
    if (events > user.keptCapacity || cached > user.cachedCapacity || cached > events) {
      throw new IllegalArgumentException(
          "state holds "
              + events
              + " events and "
              + cached
              + " vectors, more than the model keeps");
    }
    for (int i = 0; i < events; i++) {
      user.items[i] = in.getInt();
      user.scenes[i] = in.get();
      user.eventTypes[i] = in.get();
      user.timesMs[i] = in.getLong();
    }
    int floats = cached * user.cacheDim;
    in.asFloatBuffer().get(user.cache, 0, floats);
    in.position(in.position() + floats * Float.BYTES);
    user.events = events;
    user.cached = cached;
    return user;
  }

  private StreamingEvent eventAt(int i) {
    return new StreamingEvent(item(i), scene(i), eventType(i), timesMs[i]);
  }

  private void setToken(int i, StreamingEvent event) {
    items[i] = event.item();
    scenes[i] = (byte) event.scene();
    eventTypes[i] = (byte) event.eventType();
    timesMs[i] = event.timeMs();
  }

  private void shiftTokens(int by) {
    System.arraycopy(items, by, items, 0, events - by);
    System.arraycopy(scenes, by, scenes, 0, events - by);
    System.arraycopy(eventTypes, by, eventTypes, 0, events - by);
    System.arraycopy(timesMs, by, timesMs, 0, events - by);
    events -= by;
  }
}
