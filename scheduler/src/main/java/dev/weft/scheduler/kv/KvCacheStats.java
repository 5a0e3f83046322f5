package dev.weft.scheduler.kv;

/**
 * The KV cache at one moment, for metrics and step records.
 *
 * @param blockSize token slots per block
 * @param totalBlocks device pool size
 * @param usedBlocks device blocks held by at least one sequence
 * @param cachedBlocks device blocks registered in the prefix cache, held or free
 * @param wasteSlots slots in held blocks that hold no token (at most one partial block per
 *     sequence: the point of paging)
 * @param totalHostBlocks host store size
 * @param usedHostBlocks host blocks holding swapped-out requests
 * @param prefixQueryTokens prompt tokens looked up in the prefix cache at first admission, in total
 * @param prefixHitTokens of those, tokens found cached
 * @param evictions cached blocks reused for other contents, in total
 */
public record KvCacheStats(
    int blockSize,
    int totalBlocks,
    int usedBlocks,
    int cachedBlocks,
    long wasteSlots,
    int totalHostBlocks,
    int usedHostBlocks,
    long prefixQueryTokens,
    long prefixHitTokens,
    long evictions) {

  /** Device blocks no sequence holds, including cached ones that can be reused. */
  public int freeBlocks() {
    return totalBlocks - usedBlocks;
  }

  /** Fraction of the device pool held by sequences. */
  public double usage() {
    return (double) usedBlocks / totalBlocks;
  }

  /** Fraction of held slots that hold no token; 0 when nothing is held. */
  public double wasteFraction() {
    return usedBlocks == 0 ? 0 : (double) wasteSlots / ((long) usedBlocks * blockSize);
  }

  /** Fraction of looked-up prompt tokens found in the prefix cache; 0 before any lookup. */
  public double prefixHitRate() {
    return prefixQueryTokens == 0 ? 0 : (double) prefixHitTokens / prefixQueryTokens;
  }
}
