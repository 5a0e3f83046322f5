package dev.weft.scheduler.kv;

import dev.weft.scheduler.AppendOnlyIntList;
import dev.weft.scheduler.BlockCopy;
import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.ImmutableIntList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The paged KV cache's accounts: which device and host blocks each sequence holds, with prefix
 * caching of full blocks (vLLM's block pool). Every operation that needs room first checks that it
 * fits and answers {@code false} without changing anything when it does not; the scheduler decides
 * what to do about it (wait, or preempt someone).
 *
 * <p>Prefix caching registers a block only once its tokens are computed ({@link #markComputed},
 * after the runner ran), never at allocation. A runner therefore never reads a cached block that is
 * being written in the same step, whatever order it processes sequences in.
 */
public final class KvBlockManager {
  private final CacheConfig config;
  private final int blockSize;
  private final DeviceBlockPool device;
  private final HostBlockStore host;

  /** Tables holding device blocks, for the waste statistic. */
  private final Set<BlockTable> resident = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Host blocks emptied by swap-ins this step; freed by {@link #endStep()}. */
  private final List<Integer> hostBlocksToRelease = new ArrayList<>();

  private long prefixQueryTokens;
  private long prefixHitTokens;

  public KvBlockManager(CacheConfig config) {
    this.config = config;
    this.blockSize = config.blockSize();
    this.device = new DeviceBlockPool(config.numBlocks(), blockSize);
    this.host = new HostBlockStore(config.numHostBlocks());
  }

  public CacheConfig config() {
    return config;
  }

  /** Blocks needed to hold {@code tokens} tokens. */
  public int blocksFor(int tokens) {
    return (tokens + blockSize - 1) / blockSize;
  }

  /**
   * The longest run of cached full blocks that starts {@code tokens}, leaving at least the last
   * token to compute (its logits are needed to sample). Changes nothing.
   */
  public PrefixHit findCachedPrefix(BlockTable table, ImmutableIntList tokens) {
    if (!table.blocks.isEmpty() || table.computedTokens != 0 || table.isSwappedOut()) {
      throw new IllegalStateException("prefix lookup is for a sequence holding no KV");
    }
    if (!config.prefixCaching()) {
      return PrefixHit.NONE;
    }
    AppendOnlyIntList hits = new AppendOnlyIntList();
    int maxBlocks = (tokens.size() - 1) / blockSize;
    for (int i = 0; i < maxBlocks; i++) {
      int block = device.lookup(table.hash(i, tokens, blockSize), tokens, i * blockSize);
      if (block < 0) {
        break;
      }
      hits.add(block);
    }
    return hits.isEmpty()
        ? PrefixHit.NONE
        : new PrefixHit(hits.snapshot(), hits.size() * blockSize);
  }

  /**
   * Counts a request's first admission in the hit-rate statistics (only the first, so that
   * recomputation after preemption does not inflate the rate).
   */
  public void recordPrefixLookup(int queriedTokens, int hitTokens) {
    prefixQueryTokens += queriedTokens;
    prefixHitTokens += hitTokens;
  }

  /**
   * Takes {@code hit} (if any) and enough new blocks for {@code numNewTokens} more tokens after the
   * computed ones. With {@code keepWatermark} (admitting or resuming a request) the pool's
   * watermark must stay free afterwards; running requests may dip into it.
   *
   * @return false, changing nothing, when there is no room
   */
  public boolean allocate(
      BlockTable table, PrefixHit hit, int numNewTokens, boolean keepWatermark) {
    if (table.isSwappedOut()) {
      throw new IllegalStateException("allocate for a swapped-out sequence: swap it in instead");
    }
    if (!hit.isEmpty() && (!table.blocks.isEmpty() || table.computedTokens != 0)) {
      throw new IllegalStateException("a prefix hit only starts an empty block table");
    }
    int tokensAfter = table.computedTokens + hit.tokens() + numNewTokens;
    int needed = Math.max(0, blocksFor(tokensAfter) - table.blocks.size() - hit.blocks().size());
    int evictable = 0;
    for (int i = 0; i < hit.blocks().size(); i++) {
      evictable += device.refCount(hit.blocks().get(i)) == 0 ? 1 : 0;
    }
    if (!fits(needed + evictable, keepWatermark)) {
      return false;
    }
    // Hits first: taking a fresh block could otherwise evict a hit that sits in the free queue.
    for (int i = 0; i < hit.blocks().size(); i++) {
      device.touch(hit.blocks().get(i));
      table.blocks.add(hit.blocks().get(i));
    }
    table.computedTokens += hit.tokens();
    table.offeredBlocks = hit.blocks().size();
    for (int i = 0; i < needed; i++) {
      table.blocks.add(device.allocateFresh());
    }
    if (!table.blocks.isEmpty()) {
      resident.add(table);
    }
    return true;
  }

  /** Records that the sequence's first {@code computedTokens} tokens now have their KV. */
  public void markComputed(BlockTable table, ImmutableIntList tokens, int computedTokens) {
    if (computedTokens > table.blocks.size() * blockSize || computedTokens > tokens.size()) {
      throw new IllegalStateException(
          computedTokens + " computed tokens do not fit " + table.blocks.size() + " blocks");
    }
    table.computedTokens = computedTokens;
    if (!config.prefixCaching()) {
      return;
    }
    int fullBlocks = computedTokens / blockSize;
    for (int i = table.offeredBlocks; i < fullBlocks; i++) {
      device.register(table.blocks.get(i), table.hash(i, tokens, blockSize), tokens, i * blockSize);
    }
    table.offeredBlocks = Math.max(table.offeredBlocks, fullBlocks);
  }

  /**
   * Gives back every block the sequence holds, device and host; its computed tokens are lost (full
   * cached blocks stay in the prefix cache until evicted). Tail blocks are freed first, so they are
   * evicted before the prefix blocks that other requests are likelier to share.
   */
  public void free(BlockTable table) {
    for (int i = table.blocks.size() - 1; i >= 0; i--) {
      device.release(table.blocks.get(i));
    }
    table.blocks.clear();
    if (table.hostBlocks != null) {
      for (int i = 0; i < table.hostBlocks.size(); i++) {
        host.release(table.hostBlocks.get(i));
      }
      table.hostBlocks = null;
    }
    table.computedTokens = 0;
    table.offeredBlocks = 0;
    resident.remove(table);
  }

  /**
   * Moves the blocks holding the sequence's computed tokens to the host store, appending the copies
   * to {@code copies}, and frees its device blocks.
   *
   * @return false, changing nothing, when the host store lacks room or there is nothing to keep
   */
  public boolean swapOut(BlockTable table, List<BlockCopy> copies) {
    int keep = blocksFor(table.computedTokens);
    if (table.isSwappedOut() || keep == 0 || host.numFree() < keep) {
      return false;
    }
    int[] hostBlocks = new int[keep];
    for (int i = 0; i < keep; i++) {
      hostBlocks[i] = host.allocate();
      copies.add(new BlockCopy(table.blocks.get(i), hostBlocks[i]));
    }
    int computed = table.computedTokens;
    free(table);
    table.hostBlocks = ImmutableIntList.of(hostBlocks);
    table.computedTokens = computed;
    return true;
  }

  /**
   * Brings a swapped-out sequence back to the device with room for {@code numNewTokens} more
   * tokens, appending host-to-device copies to {@code copies}. A full block that is still in the
   * device's prefix cache is taken from there instead of copied.
   *
   * @return false, changing nothing, when the device pool lacks room
   */
  public boolean swapIn(
      BlockTable table,
      ImmutableIntList tokens,
      int numNewTokens,
      boolean keepWatermark,
      List<BlockCopy> copies) {
    if (!table.isSwappedOut()) {
      throw new IllegalStateException("swap-in of a sequence that is not swapped out");
    }
    ImmutableIntList hostBlocks = table.hostBlocks;
    int kept = hostBlocks.size();
    int fullKept = Math.min(kept, table.computedTokens / blockSize);
    int[] reuse = new int[kept];
    int hits = 0;
    int evictable = 0;
    for (int i = 0; i < kept; i++) {
      reuse[i] = -1;
      if (config.prefixCaching() && i < fullKept) {
        reuse[i] = device.lookup(table.hash(i, tokens, blockSize), tokens, i * blockSize);
      }
      if (reuse[i] >= 0) {
        hits++;
        evictable += device.refCount(reuse[i]) == 0 ? 1 : 0;
      }
    }
    int extra = Math.max(0, blocksFor(table.computedTokens + numNewTokens) - kept);
    if (!fits(kept - hits + extra + evictable, keepWatermark)) {
      return false;
    }
    for (int block : reuse) {
      if (block >= 0) {
        device.touch(block);
      }
    }
    for (int i = 0; i < kept; i++) {
      int block = reuse[i];
      if (block < 0) {
        block = device.allocateFresh();
        copies.add(new BlockCopy(hostBlocks.get(i), block));
      }
      table.blocks.add(block);
    }
    for (int i = 0; i < extra; i++) {
      table.blocks.add(device.allocateFresh());
    }
    // The runner copies from these host blocks during this step: nobody may have them before it.
    for (int i = 0; i < kept; i++) {
      hostBlocksToRelease.add(hostBlocks.get(i));
    }
    table.hostBlocks = null;
    table.offeredBlocks = 0;
    resident.add(table);
    return true;
  }

  /** Ends a step: host blocks emptied by this step's swap-ins become free. */
  public void endStep() {
    for (int block : hostBlocksToRelease) {
      host.release(block);
    }
    hostBlocksToRelease.clear();
  }

  public KvCacheStats stats() {
    long waste = 0;
    for (BlockTable table : resident) {
      waste += (long) table.blocks.size() * blockSize - table.computedTokens;
    }
    return new KvCacheStats(
        blockSize,
        device.numBlocks(),
        device.numBlocks() - device.numFree(),
        device.numRegistered(),
        waste,
        host.capacity(),
        host.capacity() - host.numFree(),
        prefixQueryTokens,
        prefixHitTokens,
        device.evictions());
  }

  // Inspection, for invariant checks and debugging.

  public int numFreeBlocks() {
    return device.numFree();
  }

  public int refCount(int block) {
    return device.refCount(block);
  }

  /** Whether the block is registered in the prefix cache. */
  public boolean isCached(int block) {
    return device.isRegistered(block);
  }

  public boolean isInFreeQueue(int block) {
    return device.isInFreeQueue(block);
  }

  /** The free queue, next to be taken first. */
  public ImmutableIntList freeQueueOrder() {
    return ImmutableIntList.of(device.freeQueueOrder());
  }

  public int numFreeHostBlocks() {
    return host.numFree();
  }

  /** Whether nobody holds the host block (blocks awaiting {@link #endStep()} are held). */
  public boolean isHostBlockFree(int block) {
    return host.isFree(block);
  }

  private boolean fits(int blocksTaken, boolean keepWatermark) {
    int reserve = keepWatermark ? config.watermarkBlocks() : 0;
    return device.numFree() - blocksTaken >= reserve;
  }
}
