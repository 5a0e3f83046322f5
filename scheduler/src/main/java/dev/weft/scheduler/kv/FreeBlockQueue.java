package dev.weft.scheduler.kv;

import java.util.Arrays;

/**
 * The device blocks that no sequence holds, in eviction order: the head is taken first. A doubly
 * linked list over block ids in two int arrays, so that a prefix-cache hit can pull a cached block
 * out of the middle in O(1) (vLLM's FreeKVCacheBlockQueue).
 */
final class FreeBlockQueue {
  private static final int NONE = -1;

  private final int[] prev;
  private final int[] next;
  private final boolean[] queued;
  private int head = NONE;
  private int tail = NONE;
  private int size;

  /** A queue holding blocks {@code 0 .. numBlocks-1}, in id order. */
  FreeBlockQueue(int numBlocks) {
    prev = new int[numBlocks];
    next = new int[numBlocks];
    queued = new boolean[numBlocks];
    Arrays.fill(prev, NONE);
    Arrays.fill(next, NONE);
    for (int block = 0; block < numBlocks; block++) {
      addLast(block);
    }
  }

  int size() {
    return size;
  }

  boolean contains(int block) {
    return queued[block];
  }

  /** Removes and returns the head; the queue must not be empty. */
  int pollFirst() {
    if (size == 0) {
      throw new IllegalStateException("no free block (the caller must check first)");
    }
    int block = head;
    remove(block);
    return block;
  }

  void remove(int block) {
    if (!queued[block]) {
      throw new IllegalStateException("block " + block + " is not in the free queue");
    }
    int before = prev[block];
    int after = next[block];
    if (before == NONE) {
      head = after;
    } else {
      next[before] = after;
    }
    if (after == NONE) {
      tail = before;
    } else {
      prev[after] = before;
    }
    prev[block] = NONE;
    next[block] = NONE;
    queued[block] = false;
    size--;
  }

  /** Appends: taken last. */
  void addLast(int block) {
    checkNotQueued(block);
    prev[block] = tail;
    if (tail == NONE) {
      head = block;
    } else {
      next[tail] = block;
    }
    tail = block;
    queued[block] = true;
    size++;
  }

  /** Prepends: taken first. */
  void addFirst(int block) {
    checkNotQueued(block);
    next[block] = head;
    if (head == NONE) {
      tail = block;
    } else {
      prev[head] = block;
    }
    head = block;
    queued[block] = true;
    size++;
  }

  /** The queue's blocks, head first (for tests and debugging). */
  int[] toArray() {
    int[] blocks = new int[size];
    int i = 0;
    for (int block = head; block != NONE; block = next[block]) {
      blocks[i++] = block;
    }
    return blocks;
  }

  private void checkNotQueued(int block) {
    if (queued[block]) {
      throw new IllegalStateException("block " + block + " is already in the free queue");
    }
  }
}
