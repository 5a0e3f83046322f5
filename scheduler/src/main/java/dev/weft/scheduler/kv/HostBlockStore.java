package dev.weft.scheduler.kv;

/**
 * The second, slower block store that swapped-out requests live in (host memory). The scheduler
 * only keeps its accounts; the runner holds the bytes. No prefix caching here: a host block belongs
 * to exactly one swapped-out request.
 */
final class HostBlockStore {
  private final int[] freeStack;
  private final boolean[] free;
  private int numFree;

  HostBlockStore(int numBlocks) {
    freeStack = new int[numBlocks];
    free = new boolean[numBlocks];
    // Lowest ids on top, so that allocation order is easy to read in plans.
    for (int i = 0; i < numBlocks; i++) {
      freeStack[i] = numBlocks - 1 - i;
      free[i] = true;
    }
    numFree = numBlocks;
  }

  int capacity() {
    return free.length;
  }

  int numFree() {
    return numFree;
  }

  boolean isFree(int block) {
    return free[block];
  }

  int allocate() {
    if (numFree == 0) {
      throw new IllegalStateException("host store is full (the caller must check first)");
    }
    int block = freeStack[--numFree];
    free[block] = false;
    return block;
  }

  void release(int block) {
    if (free[block]) {
      throw new IllegalStateException("host block " + block + " released twice");
    }
    free[block] = true;
    freeStack[numFree++] = block;
  }
}
