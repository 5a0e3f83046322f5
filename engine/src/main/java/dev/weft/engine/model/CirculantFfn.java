package dev.weft.engine.model;

import java.util.List;

/**
 * Feed-forward weights of every layer stored as block-circulant matrices (CirCNN / E-RNN): a matrix
 * of m×n is cut into ⌈m/k⌉×⌈n/k⌉ blocks of k×k, each circulant and stored as its first column,
 * {@code W_ij[r][c] = w_ij[(r − c) mod k]}. When k does not divide a side, the matrix is
 * zero-padded to whole blocks and the padding is dropped (inputs padded with zeros, extra output
 * rows cut off). Block vectors are laid out {@code [p][q][k]} (block row, block column, tap).
 *
 * @param blockSize k
 * @param w1 per layer, the gate projection (hidden × dim)
 * @param w2 per layer, the down projection (dim × hidden)
 * @param w3 per layer, the up projection (hidden × dim)
 */
public record CirculantFfn(int blockSize, List<float[]> w1, List<float[]> w2, List<float[]> w3) {

  public CirculantFfn {
    if (blockSize < 1) {
      throw new IllegalArgumentException("block size must be >= 1, got " + blockSize);
    }
    w1 = List.copyOf(w1);
    w2 = List.copyOf(w2);
    w3 = List.copyOf(w3);
    if (w1.size() != w2.size() || w1.size() != w3.size()) {
      throw new IllegalArgumentException(
          "w1, w2, w3 need one entry per layer, got "
              + w1.size()
              + ", "
              + w2.size()
              + ", "
              + w3.size());
    }
  }

  /** Number of k-blocks covering {@code size} (the last one zero-padded). */
  public static int blocks(int size, int blockSize) {
    return (size + blockSize - 1) / blockSize;
  }

  /** Values stored for an m×n matrix: p·q·k. */
  public static long storedValues(int m, int n, int blockSize) {
    return (long) blocks(m, blockSize) * blocks(n, blockSize) * blockSize;
  }
}
