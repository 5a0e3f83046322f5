package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.weft.engine.model.LlamaConfig;

/** One sequence's cache as one preallocated buffer per layer, head-major: [nKv, capacity, hd]. */
public final class ContiguousKvCache implements KvCache {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final int capacity;

  public ContiguousKvCache(NDManager parent, LlamaConfig config, int capacity) {
    if (capacity <= 0 || capacity > config.maxSeqLen()) {
      throw new IllegalArgumentException(
          "cache capacity " + capacity + " outside [1, " + config.maxSeqLen() + "]");
    }
    this.manager = parent.newSubManager();
    this.capacity = capacity;
    this.keys = new NDArray[config.nLayers()];
    this.values = new NDArray[config.nLayers()];
    Shape shape = new Shape(config.nKvHeads(), capacity, config.headSize());
    for (int l = 0; l < config.nLayers(); l++) {
      keys[l] = manager.zeros(shape, DataType.FLOAT32);
      values[l] = manager.zeros(shape, DataType.FLOAT32);
    }
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public void write(int layer, int start, NDArray k, NDArray v) {
    long end = start + k.getShape().get(0);
    if (start < 0 || end > capacity) {
      throw new IllegalArgumentException(
          "positions [" + start + ", " + end + ") outside the cache of " + capacity);
    }
    NDIndex rows = new NDIndex(":, {}:{}", start, end);
    keys[layer].set(rows, k.transpose(1, 0, 2));
    values[layer].set(rows, v.transpose(1, 0, 2));
  }

  @Override
  public NDArray keys(int layer, int length, NDManager scope) {
    return keys[layer].get(scope, new NDIndex(":, 0:{}", length));
  }

  @Override
  public NDArray values(int layer, int length, NDManager scope) {
    return values[layer].get(scope, new NDIndex(":, 0:{}", length));
  }

  @Override
  public void close() {
    manager.close();
  }
}
