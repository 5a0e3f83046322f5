package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the tokens a sequence has computed, per layer. The forward pass writes a
 * chunk's K/V and reads back every earlier position; how positions map to memory (one contiguous
 * buffer, or pages of a shared pool) is the implementation's business.
 */
public interface KvCache extends AutoCloseable {

  /** Tokens this cache can hold. */
  int capacity();

  /**
   * Stores a chunk's keys and values, each {@code [T, nKvHeads, headSize]}, for positions {@code
   * [start, start + T)} of {@code layer}.
   */
  void write(int layer, int start, NDArray keys, NDArray values);

  /**
   * Keys of positions {@code [0, length)} of {@code layer}, head-major {@code [nKv, length, hd]}.
   */
  NDArray keys(int layer, int length, NDManager scope);

  /** Values of positions {@code [0, length)} of {@code layer}, {@code [nKv, length, hd]}. */
  NDArray values(int layer, int length, NDManager scope);

  @Override
  void close();
}
