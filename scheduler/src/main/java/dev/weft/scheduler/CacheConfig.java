package dev.weft.scheduler;

/**
 * The paged KV cache: a device pool of {@code numBlocks} blocks of {@code blockSize} token slots,
 * and a second, slower host store of {@code numHostBlocks} blocks for swapped-out requests.
 *
 * @param blockSize token slots per block
 * @param numBlocks blocks in the device pool (see {@link #blocksFor})
 * @param watermark fraction of the pool that admitting a request must leave free, so that running
 *     requests can still grow; running requests may use it
 * @param prefixCaching whether full blocks are shared between requests with the same prefix
 * @param numHostBlocks blocks in the host store; 0 disables swapping
 * @param swapCost modelled cost of copying blocks between the two
 */
public record CacheConfig(
    int blockSize,
    int numBlocks,
    double watermark,
    boolean prefixCaching,
    int numHostBlocks,
    SwapCostModel swapCost) {

  public CacheConfig {
    if (blockSize < 1) {
      throw new IllegalArgumentException("block size is " + blockSize + ", must be >= 1");
    }
    if (numBlocks < 1) {
      throw new IllegalArgumentException(
          "the KV pool has "
              + numBlocks
              + " blocks, must have >= 1 (is the memory budget large"
              + " enough for one block?)");
    }
    if (!(watermark >= 0 && watermark < 1)) {
      throw new IllegalArgumentException("watermark is " + watermark + ", must be in [0, 1)");
    }
    if (numHostBlocks < 0) {
      throw new IllegalArgumentException(
          "the host store has " + numHostBlocks + " blocks, must have >= 0");
    }
    if (swapCost == null) {
      throw new IllegalArgumentException("swap cost model is missing (use SwapCostModel.FREE)");
    }
  }

  /** A pool of {@code numBlocks} blocks with no watermark, prefix caching on, no host store. */
  public static CacheConfig of(int blockSize, int numBlocks) {
    return new CacheConfig(blockSize, numBlocks, 0, true, 0, SwapCostModel.FREE);
  }

  /** How many blocks of {@code blockSize} tokens of {@code shape} fit in {@code memoryBytes}. */
  public static int blocksFor(long memoryBytes, KvShape shape, int blockSize) {
    if (memoryBytes < 0) {
      throw new IllegalArgumentException(
          "memory budget is " + memoryBytes + " bytes, must be >= 0");
    }
    if (blockSize < 1) {
      throw new IllegalArgumentException("block size is " + blockSize + ", must be >= 1");
    }
    return (int) Math.min(Integer.MAX_VALUE, memoryBytes / shape.bytesPerBlock(blockSize));
  }

  /** Blocks that admitting a request must leave free. */
  public int watermarkBlocks() {
    return (int) (watermark * numBlocks);
  }

  public CacheConfig withWatermark(double fraction) {
    return new CacheConfig(blockSize, numBlocks, fraction, prefixCaching, numHostBlocks, swapCost);
  }

  public CacheConfig withPrefixCaching(boolean enabled) {
    return new CacheConfig(blockSize, numBlocks, watermark, enabled, numHostBlocks, swapCost);
  }

  public CacheConfig withHostStore(int blocks, SwapCostModel cost) {
    return new CacheConfig(blockSize, numBlocks, watermark, prefixCaching, blocks, cost);
  }
}
