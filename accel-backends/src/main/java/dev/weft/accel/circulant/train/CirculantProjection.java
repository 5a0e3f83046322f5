package dev.weft.accel.circulant.train;

/**
 * Π, the nearest block-circulant matrix in Frobenius norm (E-RNN's ADMM projection), and its
 * inverse direction, expanding block vectors to the dense matrix. Row-major m×n matrices; block
 * vectors [p][q][k] in the first-column convention {@code W_ij[r][c] = w_ij[(r − c) mod k]}.
 *
 * <p>Π averages each block along its wrapped diagonals: {@code w[d] = mean of B[r][c] over (r − c)
 * mod k = d}. When k does not divide a side, the padded entries are not part of the matrix, so the
 * mean runs over the entries that exist (which is still the Frobenius-nearest choice).
 *
 * <p>Convolution kernels [Cout][Cin][kh][kw] are projected per kernel offset: block vectors
 * [p][q][kh][kw][k].
 */
public final class CirculantProjection {

  private CirculantProjection() {}

  static int blocks(int size, int k) {
    return (size + k - 1) / k;
  }

  /** Π(W): block vectors of the nearest block-circulant matrix. */
  public static float[] project(float[] dense, int m, int n, int k) {
    return projectKernel(dense, m, n, 1, k);
  }

  /** The dense m×n matrix of block vectors. */
  public static float[] expand(float[] blocks, int m, int n, int k) {
    return expandKernel(blocks, m, n, 1, k);
  }

  /**
   * Π per offset of a kernel {@code [m][n][taps]} (taps = kh·kw; 1 for a matrix): block vectors
   * {@code [p][q][taps][k]}.
   */
  public static float[] projectKernel(float[] dense, int m, int n, int taps, int k) {
    return reduceDiagonals(dense, m, n, taps, k, true);
  }

  /**
   * The gradient with respect to the block vectors of a loss whose gradient with respect to the
   * expanded dense m×n matrix is {@code dense}: each vector entry sums its wrapped diagonal (Π
   * takes the mean instead).
   */
  public static float[] blockGradient(float[] dense, int m, int n, int k) {
    return reduceDiagonals(dense, m, n, 1, k, false);
  }

  private static float[] reduceDiagonals(
      float[] dense, int m, int n, int taps, int k, boolean mean) {
    check(dense.length, (long) m * n * taps, "dense");
    int p = blocks(m, k);
    int q = blocks(n, k);
    double[] sum = new double[p * q * taps * k];
    int[] count = new int[sum.length];
    for (int r = 0; r < m; r++) {
      for (int c = 0; c < n; c++) {
        int d = Math.floorMod(r % k - c % k, k);
        int base = ((r / k) * q + c / k) * taps;
        for (int t = 0; t < taps; t++) {
          int at = (base + t) * k + d;
          sum[at] += dense[(r * n + c) * taps + t];
          count[at]++;
        }
      }
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = !mean ? (float) sum[i] : count[i] == 0 ? 0f : (float) (sum[i] / count[i]);
    }
    return out;
  }

  /** The dense kernel {@code [m][n][taps]} of block vectors {@code [p][q][taps][k]}. */
  public static float[] expandKernel(float[] blocks, int m, int n, int taps, int k) {
    int p = blocks(m, k);
    int q = blocks(n, k);
    check(blocks.length, (long) p * q * taps * k, "block vectors");
    float[] out = new float[m * n * taps];
    for (int r = 0; r < m; r++) {
      for (int c = 0; c < n; c++) {
        int d = Math.floorMod(r % k - c % k, k);
        int base = ((r / k) * q + c / k) * taps;
        for (int t = 0; t < taps; t++) {
          out[(r * n + c) * taps + t] = blocks[(base + t) * k + d];
        }
      }
    }
    return out;
  }

  private static void check(int actual, long expected, String what) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          what + " has " + actual + " values, expected " + expected + " for this shape");
    }
  }
}
