package dev.weft.scheduler.kv;

import dev.weft.scheduler.ImmutableIntList;

/**
 * The hash chain that names full blocks in the prefix cache: block i's hash covers its own tokens
 * and block i-1's hash, so equal hashes mean equal prefixes, not just equal blocks. 64 bits, and
 * the cache also compares a hit's own tokens, so a wrong hit needs a 64-bit collision between two
 * different prefixes that end in the same block of tokens.
 */
final class BlockHashing {
  /** The parent of block 0. */
  static final long ROOT = 0x6a09e667f3bcc908L;

  private BlockHashing() {}

  static long hash(long parent, ImmutableIntList tokens, int from, int count) {
    long h = parent;
    for (int i = from; i < from + count; i++) {
      h = mix(h ^ (tokens.get(i) * 0x9E3779B97F4A7C15L));
    }
    return mix(h + count);
  }

  /** Murmur3's 64-bit finalizer. */
  private static long mix(long value) {
    long h = value;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
