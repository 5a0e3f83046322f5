package dev.weft.scheduler.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.BlockCopy;
import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.ImmutableIntList;
import dev.weft.scheduler.SwapCostModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KvBlockManagerTest {
  private static final int BLOCK = 4;

  private static ImmutableIntList tokens(int from, int count) {
    return ImmutableIntList.of(IntStream.range(from, from + count).toArray());
  }

  /** Allocates and computes all of {@code tokens} for a fresh table, with any prefix hit. */
  private static BlockTable prefill(KvBlockManager kv, ImmutableIntList tokens) {
    BlockTable table = new BlockTable();
    PrefixHit hit = kv.findCachedPrefix(table, tokens);
    assertThat(kv.allocate(table, hit, tokens.size() - hit.tokens(), false)).isTrue();
    kv.markComputed(table, tokens, tokens.size());
    return table;
  }

  @Test
  void allocatesWholeBlocksAndAnswersNoRoomWithoutChangingAnything() {
    KvBlockManager kv = new KvBlockManager(CacheConfig.of(BLOCK, 3));
    BlockTable table = new BlockTable();
    assertThat(kv.allocate(table, PrefixHit.NONE, 9, false)).isTrue();
    assertThat(table.blocks()).isEqualTo(ImmutableIntList.of(0, 1, 2));
    BlockTable other = new BlockTable();
    assertThat(kv.allocate(other, PrefixHit.NONE, 1, false)).isFalse();
    assertThat(other.numBlocks()).isZero();
    assertThat(kv.numFreeBlocks()).isZero();
    kv.free(table);
    assertThat(kv.numFreeBlocks()).isEqualTo(3);
  }

  @Test
  void admissionKeepsTheWatermarkFreeButRunningSequencesMayUseIt() {
    KvBlockManager kv = new KvBlockManager(CacheConfig.of(BLOCK, 10).withWatermark(0.2));
    BlockTable admitted = new BlockTable();
    assertThat(kv.allocate(admitted, PrefixHit.NONE, 9 * BLOCK, true)).isFalse();
    assertThat(kv.allocate(admitted, PrefixHit.NONE, 8 * BLOCK, true)).isTrue();
    kv.markComputed(admitted, tokens(0, 8 * BLOCK), 8 * BLOCK);
    // Growing as a running sequence: the watermark is there for exactly this.
    assertThat(kv.allocate(admitted, PrefixHit.NONE, 2 * BLOCK, false)).isTrue();
    assertThat(kv.numFreeBlocks()).isZero();
  }

  @Test
  void sharesCachedFullBlocksOfACommonPrefixButNeverTheLastToken() {
    KvBlockManager kv = new KvBlockManager(CacheConfig.of(BLOCK, 8));
    BlockTable first = prefill(kv, tokens(0, 10)); // blocks 0, 1 full; block 2 partial
    assertThat(kv.isCached(first.blocks().get(0))).isTrue();
    assertThat(kv.isCached(first.blocks().get(1))).isTrue();
    assertThat(kv.isCached(first.blocks().get(2))).isFalse();

    PrefixHit hit = kv.findCachedPrefix(new BlockTable(), tokens(0, 12));
    assertThat(hit.blocks()).isEqualTo(first.blocks().subList(0, 2));
    assertThat(hit.tokens()).isEqualTo(8);
    // Exactly 8 tokens: the last must be computed to be sampled from, so only one block hits.
    assertThat(kv.findCachedPrefix(new BlockTable(), tokens(0, 8)).tokens()).isEqualTo(4);
    // Same second block, different first block: the chain hash tells them apart.
    ImmutableIntList otherStart = ImmutableIntList.of(9, 9, 9, 9, 4, 5, 6, 7, 8);
    assertThat(kv.findCachedPrefix(new BlockTable(), otherStart).isEmpty()).isTrue();

    BlockTable second = new BlockTable();
    assertThat(kv.allocate(second, hit, 4, false)).isTrue();
    assertThat(second.computedTokens()).isEqualTo(8);
    assertThat(kv.refCount(first.blocks().get(0))).isEqualTo(2);
    assertThat(second.blocks().subList(0, 2)).isEqualTo(first.blocks().subList(0, 2));
  }

  @Test
  void freedCachedBlocksAreReusedLeastRecentlyFreedFirstAndEmptyBlocksBeforeThem() {
    KvBlockManager kv = new KvBlockManager(CacheConfig.of(BLOCK, 6));
    BlockTable a = prefill(kv, tokens(0, 8)); // blocks 0, 1 (both full: cached)
    BlockTable b = prefill(kv, tokens(100, 6)); // blocks 2 (cached), 3 (partial)
    kv.free(a);
    kv.free(b);
    // Partial block 3 is worth nothing: first to go. Then 4, 5 never used. Then cached blocks,
    // each request's tail before its head, a's (freed first) before b's.
    assertThat(kv.freeQueueOrder()).isEqualTo(ImmutableIntList.of(3, 4, 5, 1, 0, 2));
    BlockTable c = new BlockTable();
    assertThat(kv.allocate(c, PrefixHit.NONE, 4 * BLOCK, false)).isTrue();
    assertThat(c.blocks()).isEqualTo(ImmutableIntList.of(3, 4, 5, 1));
    assertThat(kv.stats().evictions()).isEqualTo(1);
    // Block 0 still holds a's first block and can be hit.
    assertThat(kv.findCachedPrefix(new BlockTable(), tokens(0, 8)).blocks())
        .isEqualTo(ImmutableIntList.of(0));
  }

  @Test
  void aHitOnAFreeCachedBlockCountsAgainstRoom() {
    KvBlockManager kv = new KvBlockManager(CacheConfig.of(BLOCK, 3));
    kv.free(prefill(kv, tokens(0, 8))); // blocks 0, 1 cached and free
    BlockTable hog = new BlockTable();
    assertThat(kv.allocate(hog, PrefixHit.NONE, 1, false)).isTrue(); // takes block 2
    PrefixHit hit = kv.findCachedPrefix(new BlockTable(), tokens(0, 9));
    assertThat(hit.tokens()).isEqualTo(8);
    // Taking the hit uses both free blocks; the ninth token needs a third: no room.
    BlockTable table = new BlockTable();
    assertThat(kv.allocate(table, hit, 1, false)).isFalse();
    assertThat(kv.refCount(0)).isZero();
    assertThat(kv.numFreeBlocks()).isEqualTo(2);
  }

  @Test
  void disabledPrefixCachingNeverHits() {
    KvBlockManager kv = new KvBlockManager(CacheConfig.of(BLOCK, 8).withPrefixCaching(false));
    prefill(kv, tokens(0, 12));
    assertThat(kv.findCachedPrefix(new BlockTable(), tokens(0, 12)).isEmpty()).isTrue();
    assertThat(kv.stats().cachedBlocks()).isZero();
  }

  @Test
  void swapsOutToTheHostAndBackReusingBlocksStillCached() {
    CacheConfig cache = CacheConfig.of(BLOCK, 6).withHostStore(4, SwapCostModel.FREE);
    KvBlockManager kv = new KvBlockManager(cache);
    ImmutableIntList tokens = tokens(0, 10);
    BlockTable table = prefill(kv, tokens); // blocks 0, 1 full and cached; 2 partial
    List<BlockCopy> out = new ArrayList<>();
    assertThat(kv.swapOut(table, out)).isTrue();
    assertThat(out).containsExactly(new BlockCopy(0, 0), new BlockCopy(1, 1), new BlockCopy(2, 2));
    assertThat(table.isSwappedOut()).isTrue();
    assertThat(table.computedTokens()).isEqualTo(10);
    assertThat(kv.numFreeBlocks()).isEqualTo(6);
    assertThat(kv.numFreeHostBlocks()).isEqualTo(1);

    List<BlockCopy> in = new ArrayList<>();
    assertThat(kv.swapIn(table, tokens, 1, true, in)).isTrue();
    // Blocks 0 and 1 never left the device cache: only the partial block is copied back.
    assertThat(table.blocks().subList(0, 2)).isEqualTo(ImmutableIntList.of(0, 1));
    assertThat(in).containsExactly(new BlockCopy(2, table.blocks().get(2)));
    // Host blocks are released only once the step that copies from them is over.
    assertThat(kv.numFreeHostBlocks()).isEqualTo(1);
    kv.endStep();
    assertThat(kv.numFreeHostBlocks()).isEqualTo(4);
  }

  @Test
  void swapOutAnswersNoWhenTheHostStoreIsFull() {
    CacheConfig cache = CacheConfig.of(BLOCK, 6).withHostStore(2, SwapCostModel.FREE);
    KvBlockManager kv = new KvBlockManager(cache);
    BlockTable table = prefill(kv, tokens(0, 10));
    assertThat(kv.swapOut(table, new ArrayList<>())).isFalse();
    assertThat(table.isSwappedOut()).isFalse();
    assertThat(table.numBlocks()).isEqualTo(3);
  }

  @Test
  void reportsUsageWasteAndPrefixHitRate() {
    KvBlockManager kv = new KvBlockManager(CacheConfig.of(BLOCK, 10));
    prefill(kv, tokens(0, 10)); // 3 blocks, 2 empty slots
    BlockTable second = new BlockTable();
    ImmutableIntList prompt = tokens(0, 13);
    PrefixHit hit = kv.findCachedPrefix(second, prompt);
    kv.recordPrefixLookup(prompt.size(), hit.tokens());
    kv.allocate(second, hit, prompt.size() - hit.tokens(), false);
    kv.markComputed(second, prompt, prompt.size()); // 2 shared + 2 own blocks, 3 empty slots
    KvCacheStats stats = kv.stats();
    assertThat(stats.usedBlocks()).isEqualTo(5);
    assertThat(stats.usage()).isEqualTo(0.5);
    assertThat(stats.wasteSlots()).isEqualTo(2 + 3);
    assertThat(stats.wasteFraction()).isEqualTo(5.0 / 20);
    assertThat(stats.prefixHitRate()).isEqualTo(8.0 / 13);
  }
}
