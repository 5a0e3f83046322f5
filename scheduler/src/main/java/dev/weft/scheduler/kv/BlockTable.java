package dev.weft.scheduler.kv;

import dev.weft.scheduler.AppendOnlyIntList;
import dev.weft.scheduler.ImmutableIntList;
import java.util.Arrays;

/**
 * One sequence's KV state: its device blocks in order, how many of its tokens have their KV
 * computed, the host blocks holding it while swapped out, and the hash chain of its full blocks.
 * Only {@link KvBlockManager} changes it.
 */
public final class BlockTable {
  final AppendOnlyIntList blocks = new AppendOnlyIntList();

  /** Host blocks while swapped out, else null. */
  ImmutableIntList hostBlocks;

  int computedTokens;

  /** Leading full blocks already offered to the prefix cache. */
  int offeredBlocks;

  private long[] hashes = new long[4];
  private int numHashes;

  /** The device blocks, in position order. */
  public ImmutableIntList blocks() {
    return blocks.snapshot();
  }

  public int numBlocks() {
    return blocks.size();
  }

  /** Tokens whose KV is computed, on the device or (while swapped) on the host. */
  public int computedTokens() {
    return computedTokens;
  }

  public boolean isSwappedOut() {
    return hostBlocks != null;
  }

  /** The host blocks while swapped out; empty otherwise. */
  public ImmutableIntList hostBlocks() {
    return hostBlocks == null ? ImmutableIntList.of() : hostBlocks;
  }

  /**
   * The chain hash of full block {@code index} of {@code tokens}, computed once. Tokens only grow,
   * so the chain survives preemption.
   */
  long hash(int index, ImmutableIntList tokens, int blockSize) {
    while (numHashes <= index) {
      long parent = numHashes == 0 ? BlockHashing.ROOT : hashes[numHashes - 1];
      if (numHashes == hashes.length) {
        hashes = Arrays.copyOf(hashes, hashes.length * 2);
      }
      hashes[numHashes] = BlockHashing.hash(parent, tokens, numHashes * blockSize, blockSize);
      numHashes++;
    }
    return hashes[index];
  }

  @Override
  public String toString() {
    return isSwappedOut() ? "host" + hostBlocks : blocks.toString();
  }
}
