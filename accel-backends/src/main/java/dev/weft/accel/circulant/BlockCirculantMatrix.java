package dev.weft.accel.circulant;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An m × n block-circulant matrix stored as p × q first-column vectors of length k (see the package
 * documentation for the exact convention). Immutable: the constructor copies the vectors and {@link
 * #blocks()} returns a copy.
 */
public final class BlockCirculantMatrix {

  /** What to do when a dimension is not a multiple of the block size. */
  public enum Padding {
    /** Pad inputs with zeros up to q·k and cut outputs to m (the top-left m × n corner). */
    ZERO,
    /** Reject shapes that k does not divide. */
    NONE
  }

  private final int rows;
  private final int cols;
  private final int blockSize;
  private final float[] blocks;

  /**
   * @param rows m, the output size
   * @param cols n, the input size
   * @param blockSize k
   * @param blocks p·q·k floats, w_ij[d] at (i·q + j)·k + d
   * @param padding whether m or n may be a non-multiple of k
   */
  public BlockCirculantMatrix(int rows, int cols, int blockSize, float[] blocks, Padding padding) {
    checkShape(rows, cols, blockSize, padding);
    long expected = (long) ceilDiv(rows, blockSize) * ceilDiv(cols, blockSize) * blockSize;
    if (blocks == null || blocks.length != expected) {
      throw new IllegalArgumentException(
          String.format(
              "block vectors for a %dx%d matrix with k=%d must hold p*q*k = %d*%d*%d = %d floats,"
                  + " got %s",
              rows,
              cols,
              blockSize,
              ceilDiv(rows, blockSize),
              ceilDiv(cols, blockSize),
              blockSize,
              expected,
              blocks == null ? "null" : String.valueOf(blocks.length)));
    }
    this.rows = rows;
    this.cols = cols;
    this.blockSize = blockSize;
    this.blocks = blocks.clone();
  }

  /** Validates a shape; the message names the dimension k does not divide. */
  public static void checkShape(int rows, int cols, int blockSize, Padding padding) {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException(
          "matrix shape must be positive: rows=" + rows + ", cols=" + cols);
    }
    if (blockSize < 1) {
      throw new IllegalArgumentException("block size k must be >= 1: " + blockSize);
    }
    if (padding == Padding.NONE) {
      if (rows % blockSize != 0) {
        throw new IllegalArgumentException(
            "block size k="
                + blockSize
                + " does not divide rows m="
                + rows
                + " and padding is off (use Padding.ZERO to pad)");
      }
      if (cols % blockSize != 0) {
        throw new IllegalArgumentException(
            "block size k="
                + blockSize
                + " does not divide cols n="
                + cols
                + " and padding is off (use Padding.ZERO to pad)");
      }
    }
    long stored = (long) ceilDiv(rows, blockSize) * ceilDiv(cols, blockSize) * blockSize;
    if (stored > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many block-vector entries for one array: " + stored);
    }
  }

  /** A matrix with entries uniform in [−scale, scale), from {@code seed}. */
  public static BlockCirculantMatrix random(
      int rows, int cols, int blockSize, double scale, long seed) {
    checkShape(rows, cols, blockSize, Padding.ZERO);
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] w = new float[ceilDiv(rows, blockSize) * ceilDiv(cols, blockSize) * blockSize];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
    }
    return new BlockCirculantMatrix(rows, cols, blockSize, w, Padding.ZERO);
  }

  /**
   * The nearest block-circulant matrix to a dense row-major m × n matrix in Frobenius norm (E-RNN's
   * projection Π): each block's vector averages the block along its wrapped diagonals, w[d] =
   * (1/k)·Σ_r B[r][(r − d) mod k]. Entries of the padded region count as zeros.
   */
  public static BlockCirculantMatrix project(
      float[] dense, int rows, int cols, int blockSize, Padding padding) {
    checkShape(rows, cols, blockSize, padding);
    if (dense == null || dense.length != (long) rows * cols) {
      throw new IllegalArgumentException(
          "dense matrix must hold rows*cols = " + ((long) rows * cols) + " floats");
    }
    int k = blockSize;
    int p = ceilDiv(rows, k);
    int q = ceilDiv(cols, k);
    float[] w = new float[p * q * k];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int d = Math.floorMod(r % k - c % k, k);
        w[((r / k) * q + c / k) * k + d] += dense[r * cols + c];
      }
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= k;
    }
    return new BlockCirculantMatrix(rows, cols, k, w, padding);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public int blockSize() {
    return blockSize;
  }

  /** p = ⌈m/k⌉, block rows. */
  public int blockRows() {
    return ceilDiv(rows, blockSize);
  }

  /** q = ⌈n/k⌉, block columns. */
  public int blockCols() {
    return ceilDiv(cols, blockSize);
  }

  /** A copy of the block vectors, w_ij[d] at (i·q + j)·k + d. */
  public float[] blocks() {
    return blocks.clone();
  }

  /** w_ij[d] without copying. */
  public float entry(int i, int j, int d) {
    return blocks[(i * blockCols() + j) * blockSize + d];
  }

  /** Bytes the block vectors take as float32: p·q·k·4. */
  public long storedBytes() {
    return 4L * blocks.length;
  }

  /** Bytes the dense m × n float32 matrix would take. */
  public long denseBytes() {
    return 4L * rows * cols;
  }

  /** The dense row-major m × n matrix: W[r][c] = w_{r/k, c/k}[(r mod k − c mod k) mod k]. */
  public float[] toDense() {
    if ((long) rows * cols > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("dense " + rows + "x" + cols + " does not fit one array");
    }
    int k = blockSize;
    int q = blockCols();
    float[] out = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      int base = (r / k) * q;
      for (int c = 0; c < cols; c++) {
        out[r * cols + c] = blocks[(base + c / k) * k + Math.floorMod(r % k - c % k, k)];
      }
    }
    return out;
  }

  /**
   * Wᵀ (n × m), block-circulant again: block (j, i) of Wᵀ has vector wT[d] = w_ij[(−d) mod k]. Wᵀ's
   * padded corner is W's, so a padded W gives a padded transpose.
   */
  public BlockCirculantMatrix transpose() {
    int k = blockSize;
    int p = blockRows();
    int q = blockCols();
    float[] t = new float[blocks.length];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < q; j++) {
        for (int d = 0; d < k; d++) {
          t[(j * p + i) * k + d] = blocks[(i * q + j) * k + Math.floorMod(-d, k)];
        }
      }
    }
    return new BlockCirculantMatrix(cols, rows, k, t, Padding.ZERO);
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockCirculantMatrix other
        && rows == other.rows
        && cols == other.cols
        && blockSize == other.blockSize
        && Arrays.equals(blocks, other.blocks);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * rows + cols) + blockSize) + Arrays.hashCode(blocks);
  }

  @Override
  public String toString() {
    return "BlockCirculantMatrix[" + rows + "x" + cols + ", k=" + blockSize + "]";
  }
}
