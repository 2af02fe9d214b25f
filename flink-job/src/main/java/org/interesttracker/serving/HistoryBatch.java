package org.interesttracker.serving;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * The model's four [batch x historyLength] inputs in direct buffers that ONNX Runtime reads in
 * place. A batch is filled, run, cleared and filled again, so steady-state inference allocates no
 * input memory. Rows are left-padded: a history shorter than the length ends at the last position.
 */
public final class HistoryBatch {
  private final int capacity;
  private final int length;
  final LongBuffer items;
  final LongBuffer scenes;
  final LongBuffer eventTypes;
  final FloatBuffer ages;
  private int size;

  HistoryBatch(int capacity, int length) {
    this.capacity = capacity;
    this.length = length;
    items = direct(capacity * length).asLongBuffer();
    scenes = direct(capacity * length).asLongBuffer();
    eventTypes = direct(capacity * length).asLongBuffer();
    ages =
        ByteBuffer.allocateDirect(capacity * length * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
  }

  /** Starts a new all-padding row and returns its index. */
  public int addRow() {
    if (size == capacity) {
      throw new IllegalStateException("batch is full: " + capacity + " rows");
    }
    int start = size * length;
    for (int i = start; i < start + length; i++) {
      items.put(i, 0L);
      scenes.put(i, 0L);
      eventTypes.put(i, 0L);
      ages.put(i, 0f);
    }
    return size++;
  }

  /** Sets one past event of a row; position 0 is the oldest slot, length - 1 the newest. */
  public void set(int row, int position, int item, int scene, int eventType, float ageSeconds) {
    int i = row * length + position;
    items.put(i, item);
    scenes.put(i, scene);
    eventTypes.put(i, eventType);
    ages.put(i, ageSeconds);
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

  public int length() {
    return length;
  }

  private static ByteBuffer direct(int longs) {
    return ByteBuffer.allocateDirect(longs * Long.BYTES).order(ByteOrder.nativeOrder());
  }
}
