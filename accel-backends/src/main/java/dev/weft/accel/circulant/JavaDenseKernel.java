package dev.weft.accel.circulant;

import dev.weft.accel.graph.Parallel;

/**
 * The java backend's dense baseline, written to be memory-bound rather than compute-bound: Wᵀ is
 * stored n × m so that Y[b] += x[b][c]·Wᵀ[c] is an axpy over contiguous floats, which HotSpot's
 * superword pass vectorizes. Threads split the output columns into cache-sized strips; in a strip
 * each Wᵀ row segment is read from memory once and reused for every batch row from L1.
 */
final class JavaDenseKernel implements DenseKernel {

  private static final int STRIP = 512;

  private final float[] wt;
  private final int m;
  private final int n;
  private final Parallel parallel;

  JavaDenseKernel(float[] dense, int m, int n, int threads) {
    this.m = m;
    this.n = n;
    this.wt = new float[m * n];
    for (int r = 0; r < m; r++) {
      for (int c = 0; c < n; c++) {
        wt[c * m + r] = dense[r * n + c];
      }
    }
    this.parallel = new Parallel(threads);
  }

  @Override
  public float[] forward(float[] x, int batch) {
    Shapes.check("input x (batch x n)", x, batch, n);
    float[] y = new float[batch * m];
    int strips = (m + STRIP - 1) / STRIP;
    parallel.forEach(
        strips,
        s -> {
          int lo = s * STRIP;
          int len = Math.min(STRIP, m - lo);
          for (int c = 0; c < n; c++) {
            int row = c * m + lo;
            for (int b = 0; b < batch; b++) {
              float a = x[b * n + c];
              int out = b * m + lo;
              for (int t = 0; t < len; t++) {
                y[out + t] += a * wt[row + t];
              }
            }
          }
        });
    return y;
  }

  @Override
  public long weightBytes() {
    return 4L * m * n;
  }

  @Override
  public void close() {
    parallel.close();
  }
}
