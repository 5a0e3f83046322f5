package dev.weft.scheduler.kv;

import dev.weft.scheduler.ImmutableIntList;
import java.util.HashMap;
import java.util.Map;

/**
 * The device blocks: reference counts, the free queue and the prefix cache's index.
 *
 * <p>A block is either held (count > 0) or in the free queue (count 0), never both, never neither.
 * A full block whose tokens are computed may be registered under its hash; it stays registered
 * while it sits in the free queue, so a later request with the same prefix can take it back, until
 * the queue hands it out for new contents (an eviction). Freed blocks that hold nothing reusable go
 * to the head of the queue, cached ones to the tail, so the least recently freed cached block is
 * evicted first and only when no empty block is left.
 */
final class DeviceBlockPool {
  private final int blockSize;
  private final int[] refCount;
  private final long[] hashOf;
  private final boolean[] registered;

  /** The tokens of each registered block, to check a hit against (see {@link BlockHashing}). */
  private final int[] tokensOf;

  private final FreeBlockQueue freeQueue;
  private final Map<Long, Integer> blockByHash = new HashMap<>();
  private long evictions;

  DeviceBlockPool(int numBlocks, int blockSize) {
    this.blockSize = blockSize;
    refCount = new int[numBlocks];
    hashOf = new long[numBlocks];
    registered = new boolean[numBlocks];
    tokensOf = new int[Math.multiplyExact(numBlocks, blockSize)];
    freeQueue = new FreeBlockQueue(numBlocks);
  }

  int numBlocks() {
    return refCount.length;
  }

  /** Blocks nobody holds, including cached ones. */
  int numFree() {
    return freeQueue.size();
  }

  int refCount(int block) {
    return refCount[block];
  }

  boolean isRegistered(int block) {
    return registered[block];
  }

  boolean isInFreeQueue(int block) {
    return freeQueue.contains(block);
  }

  int numRegistered() {
    return blockByHash.size();
  }

  long evictions() {
    return evictions;
  }

  int[] freeQueueOrder() {
    return freeQueue.toArray();
  }

  /** Takes the head of the free queue for new contents, evicting it from the cache if needed. */
  int allocateFresh() {
    int block = freeQueue.pollFirst();
    if (registered[block]) {
      blockByHash.remove(hashOf[block]);
      registered[block] = false;
      evictions++;
    }
    refCount[block] = 1;
    return block;
  }

  /** Adds a holder to a cached block (taking it out of the free queue if nobody held it). */
  void touch(int block) {
    if (refCount[block] == 0) {
      freeQueue.remove(block);
    }
    refCount[block]++;
  }

  void release(int block) {
    if (refCount[block] <= 0) {
      throw new IllegalStateException("block " + block + " released more often than held");
    }
    if (--refCount[block] == 0) {
      if (registered[block]) {
        freeQueue.addLast(block);
      } else {
        freeQueue.addFirst(block);
      }
    }
  }

  /**
   * Offers a full, computed block to the cache under {@code hash}. If another block already holds
   * that prefix (two requests computed it in the same step), the first stays the cached one and
   * this one is freed as plain memory later.
   */
  void register(int block, long hash, ImmutableIntList tokens, int from) {
    if (registered[block] || blockByHash.containsKey(hash)) {
      return;
    }
    blockByHash.put(hash, block);
    hashOf[block] = hash;
    registered[block] = true;
    for (int i = 0; i < blockSize; i++) {
      tokensOf[block * blockSize + i] = tokens.get(from + i);
    }
  }

  /** The cached block holding {@code tokens[from, from + blockSize)} after this hash's prefix. */
  int lookup(long hash, ImmutableIntList tokens, int from) {
    Integer block = blockByHash.get(hash);
    if (block == null) {
      return -1;
    }
    for (int i = 0; i < blockSize; i++) {
      if (tokensOf[block * blockSize + i] != tokens.get(from + i)) {
        return -1;
      }
    }
    return block;
  }
}
