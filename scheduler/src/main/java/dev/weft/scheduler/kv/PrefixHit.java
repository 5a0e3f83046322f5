package dev.weft.scheduler.kv;

import dev.weft.scheduler.ImmutableIntList;

/**
 * The cached full blocks that start a sequence, found by {@link KvBlockManager#findCachedPrefix}
 * and taken by {@link KvBlockManager#allocate}.
 *
 * @param blocks the cached blocks, in order
 * @param tokens how many tokens they hold (blocks times block size)
 */
public record PrefixHit(ImmutableIntList blocks, int tokens) {
  public static final PrefixHit NONE = new PrefixHit(ImmutableIntList.of(), 0);

  public boolean isEmpty() {
    return blocks.isEmpty();
  }
}
