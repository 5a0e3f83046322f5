package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.weft.engine.model.LlamaConfig;

/**
 * The KV cache of every sequence being served: per layer, keys and values in a pool of fixed-size
 * blocks ({@code [numBlocks, blockSize, nKvHeads, headSize]}, stored flattened as {@code [numBlocks
 * * blockSize, nKvHeads, headSize]} so a slot {@code block * blockSize + offset} is one row). Which
 * blocks a sequence owns is the scheduler's decision; the pool only writes and reads the slots it
 * is given.
 *
 * <p>A second pool of the same layout in host memory holds swapped-out blocks. On this CPU both are
 * host memory, so a swap is a buffer copy; on a GPU it would cross PCIe.
 */
public final class PagedKvPool implements AutoCloseable {

  private final NDManager manager;
  private final int numBlocks;
  private final int blockSize;
  private final int hostBlocks;

  /** Per layer, [nKv, numBlocks, blockSize, hd]. */
  private final NDArray[] keys;

  private final NDArray[] values;

  /** The same storage viewed as [nKv, numBlocks * blockSize, hd], addressed by slot. */
  private final NDArray[] keySlots;

  private final NDArray[] valueSlots;
  private final NDArray[] hostKeys;
  private final NDArray[] hostValues;

  public PagedKvPool(
      NDManager parent, LlamaConfig config, int numBlocks, int blockSize, int hostBlocks) {
    if (numBlocks < 1 || blockSize < 1 || hostBlocks < 0) {
      throw new IllegalArgumentException(
          "KV pool needs >= 1 block of >= 1 slot (got "
              + numBlocks
              + " blocks of "
              + blockSize
              + ", "
              + hostBlocks
              + " host blocks)");
    }
    this.manager = parent.newSubManager();
    this.numBlocks = numBlocks;
    this.blockSize = blockSize;
    this.hostBlocks = hostBlocks;
    int n = config.nLayers();
    keys = new NDArray[n];
    values = new NDArray[n];
    keySlots = new NDArray[n];
    valueSlots = new NDArray[n];
    hostKeys = new NDArray[n];
    hostValues = new NDArray[n];
    Shape device = new Shape(config.nKvHeads(), numBlocks, blockSize, config.headSize());
    Shape deviceSlots =
        new Shape(config.nKvHeads(), (long) numBlocks * blockSize, config.headSize());
    Shape host = new Shape(config.nKvHeads(), hostBlocks, blockSize, config.headSize());
    for (int l = 0; l < n; l++) {
      keys[l] = manager.zeros(device, DataType.FLOAT32);
      values[l] = manager.zeros(device, DataType.FLOAT32);
      keySlots[l] = keys[l].reshape(deviceSlots);
      valueSlots[l] = values[l].reshape(deviceSlots);
      if (hostBlocks > 0) {
        hostKeys[l] = manager.zeros(host, DataType.FLOAT32);
        hostValues[l] = manager.zeros(host, DataType.FLOAT32);
      }
    }
  }

  public int numBlocks() {
    return numBlocks;
  }

  public int blockSize() {
    return blockSize;
  }

  public int numLayers() {
    return keys.length;
  }

  /** Writes a step's new keys and values ({@code [N, nKv, hd]}) into the given slots. */
  void write(int layer, NDArray slots, NDArray k, NDArray v) {
    NDIndex index = new NDIndex(":, {}", slots);
    keySlots[layer].set(index, k.transpose(1, 0, 2));
    valueSlots[layer].set(index, v.transpose(1, 0, 2));
  }

  /** Zeroes the given blocks ({@code [n]} block ids) of one layer. */
  void zeroBlocks(int layer, NDArray blocks, NDArray zeros) {
    NDIndex index = new NDIndex(":, {}", blocks);
    keys[layer].set(index, zeros);
    values[layer].set(index, zeros);
  }

  /** Keys of the given blocks, {@code [nKv, blocks..., blockSize, hd]}, in {@code scope}. */
  NDArray gatherKeys(int layer, NDArray blocks, NDManager scope) {
    return keys[layer].get(scope, new NDIndex(":, {}", blocks));
  }

  /** Values of the given blocks, {@code [nKv, blocks..., blockSize, hd]}, in {@code scope}. */
  NDArray gatherValues(int layer, NDArray blocks, NDManager scope) {
    return values[layer].get(scope, new NDIndex(":, {}", blocks));
  }

  /** Copies one device block to another (copy-on-write of a shared block). */
  public void copyBlock(int from, int to) {
    for (int l = 0; l < keys.length; l++) {
      copyRows(keys[l], from, keys[l], to);
      copyRows(values[l], from, values[l], to);
    }
  }

  /** Moves a device block's contents to a host block. */
  public void swapOut(int deviceBlock, int hostBlock) {
    requireHost(hostBlock);
    for (int l = 0; l < keys.length; l++) {
      copyRows(keys[l], deviceBlock, hostKeys[l], hostBlock);
      copyRows(values[l], deviceBlock, hostValues[l], hostBlock);
    }
  }

  /** Moves a host block's contents back to a device block. */
  public void swapIn(int hostBlock, int deviceBlock) {
    requireHost(hostBlock);
    for (int l = 0; l < keys.length; l++) {
      copyRows(hostKeys[l], hostBlock, keys[l], deviceBlock);
      copyRows(hostValues[l], hostBlock, values[l], deviceBlock);
    }
  }

  /** Fills every device slot with {@code value}; tests use NaN to prove nothing stray is read. */
  public void fill(float value) {
    for (int l = 0; l < keys.length; l++) {
      keys[l].set(new NDIndex(":"), value);
      values[l].set(new NDIndex(":"), value);
    }
  }

  /** Fills one device block with {@code value} (tests poison blocks no sequence owns). */
  public void fillBlock(int block, float value) {
    long a = (long) block * blockSize;
    for (int l = 0; l < keys.length; l++) {
      keySlots[l].set(new NDIndex(":, {}:{}", a, a + blockSize), value);
      valueSlots[l].set(new NDIndex(":, {}:{}", a, a + blockSize), value);
    }
  }

  /** Copies the keys of one device slot, layer by layer, for tests: {@code [nKv * hd]}. */
  public float[] keysAt(int layer, int slot) {
    try (NDManager scope = manager.newSubManager()) {
      return keySlots[layer].get(scope, new NDIndex(":, {}", slot)).toFloatArray();
    }
  }

  /** Copies the values of one device slot for tests: {@code [nKv * hd]}. */
  public float[] valuesAt(int layer, int slot) {
    try (NDManager scope = manager.newSubManager()) {
      return valueSlots[layer].get(scope, new NDIndex(":, {}", slot)).toFloatArray();
    }
  }

  private void copyRows(NDArray from, int fromBlock, NDArray to, int toBlock) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray block = from.get(scope, new NDIndex(":, {}", fromBlock));
      to.set(new NDIndex(":, {}", toBlock), block);
    }
  }

  private void requireHost(int hostBlock) {
    if (hostBlock < 0 || hostBlock >= hostBlocks) {
      throw new IllegalArgumentException(
          "host block " + hostBlock + " outside the host store of " + hostBlocks + " blocks");
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
