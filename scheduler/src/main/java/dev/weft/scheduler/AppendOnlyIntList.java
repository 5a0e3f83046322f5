package dev.weft.scheduler;

import java.util.Arrays;
import java.util.Objects;

/**
 * A growable int list that only appends, so that {@link #snapshot()} is O(1) and its result never
 * changes: growing copies into a new array, and {@link #clear()} starts a new one, so an index once
 * handed out in a snapshot is never written again.
 */
public final class AppendOnlyIntList {
  private int[] data;
  private int size;

  public AppendOnlyIntList() {
    this(8);
  }

  public AppendOnlyIntList(int initialCapacity) {
    if (initialCapacity < 0) {
      throw new IllegalArgumentException("capacity " + initialCapacity + " must be >= 0");
    }
    data = new int[Math.max(1, initialCapacity)];
  }

  public void add(int value) {
    if (size == data.length) {
      data = Arrays.copyOf(data, Math.max(8, data.length * 2));
    }
    data[size++] = value;
  }

  public void addAll(ImmutableIntList values) {
    for (int i = 0; i < values.size(); i++) {
      add(values.get(i));
    }
  }

  public int get(int index) {
    Objects.checkIndex(index, size);
    return data[index];
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Empties the list; snapshots taken before keep their contents. */
  public void clear() {
    data = new int[Math.min(data.length, 8)];
    size = 0;
  }

  /** The present contents, immutable, without copying. */
  public ImmutableIntList snapshot() {
    return size == 0 ? ImmutableIntList.of() : new ImmutableIntList(data, 0, size);
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
