package dev.weft.scheduler;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * An immutable sequence of ints: token ids, block tables, slot mappings.
 *
 * <p>Step plans hand every scheduled sequence its prompt, its generated tokens and its block table.
 * Copying those each step would cost O(context) per sequence per step, so a list here may be a
 * window onto the array of an {@link AppendOnlyIntList}: that list never rewrites an index it has
 * handed out, so the window can never change.
 */
public final class ImmutableIntList {
  private static final ImmutableIntList EMPTY = new ImmutableIntList(new int[0], 0, 0);

  private final int[] data;
  private final int offset;
  private final int size;

  ImmutableIntList(int[] data, int offset, int size) {
    this.data = data;
    this.offset = offset;
    this.size = size;
  }

  public static ImmutableIntList of() {
    return EMPTY;
  }

  /** A list holding a copy of {@code values}. */
  public static ImmutableIntList of(int... values) {
    return values.length == 0 ? EMPTY : new ImmutableIntList(values.clone(), 0, values.length);
  }

  /** A list holding a copy of {@code values}; none may be null. */
  public static ImmutableIntList copyOf(List<Integer> values) {
    int[] copy = new int[values.size()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = Objects.requireNonNull(values.get(i), "null element");
    }
    return copy.length == 0 ? EMPTY : new ImmutableIntList(copy, 0, copy.length);
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public int get(int index) {
    Objects.checkIndex(index, size);
    return data[offset + index];
  }

  /** The last element; the list must not be empty. */
  public int last() {
    return get(size - 1);
  }

  /** The elements from {@code from} (inclusive) to {@code to} (exclusive), without copying. */
  public ImmutableIntList subList(int from, int to) {
    Objects.checkFromToIndex(from, to, size);
    return from == 0 && to == size ? this : new ImmutableIntList(data, offset + from, to - from);
  }

  public boolean contains(int value) {
    for (int i = 0; i < size; i++) {
      if (data[offset + i] == value) {
        return true;
      }
    }
    return false;
  }

  public int[] toArray() {
    return Arrays.copyOfRange(data, offset, offset + size);
  }

  public IntStream stream() {
    return Arrays.stream(data, offset, offset + size);
  }

  /** An unmodifiable {@code List<Integer>} view, for code that wants collections. */
  public List<Integer> asList() {
    return new AbstractList<>() {
      @Override
      public Integer get(int index) {
        return ImmutableIntList.this.get(index);
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof ImmutableIntList that) || that.size != size) {
      return false;
    }
    return Arrays.equals(data, offset, offset + size, that.data, that.offset, that.offset + size);
  }

  @Override
  public int hashCode() {
    int hash = 1;
    for (int i = 0; i < size; i++) {
      hash = 31 * hash + data[offset + i];
    }
    return hash;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        text.append(", ");
      }
      text.append(data[offset + i]);
    }
    return text.append(']').toString();
  }
}
