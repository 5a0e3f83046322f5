package dev.weft.scheduler;

/**
 * The shape of one token's KV entries in a model: what the block pool's size and the swap cost are
 * computed from.
 *
 * @param numLayers transformer layers
 * @param numKvHeads key/value heads per layer (fewer than query heads under grouped-query
 *     attention)
 * @param headDim elements per head
 * @param bytesPerElement 4 for float32, 2 for float16/bfloat16
 */
public record KvShape(int numLayers, int numKvHeads, int headDim, int bytesPerElement) {

  public KvShape {
    positive("layers", numLayers);
    positive("KV heads", numKvHeads);
    positive("head dimension", headDim);
    positive("bytes per element", bytesPerElement);
  }

  /** Bytes of one token's keys and values over all layers. */
  public long bytesPerToken() {
    return 2L * numLayers * numKvHeads * headDim * bytesPerElement;
  }

  public long bytesPerBlock(int blockSize) {
    return bytesPerToken() * blockSize;
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("KV shape: " + name + " is " + value + ", must be >= 1");
    }
  }
}
