package dev.weft.accel.circulant;

/**
 * The oracle: expands W to its dense m × n matrix and multiplies with textbook loops in double
 * precision. Slow and simple on purpose; every other backend is tested against it.
 */
public final class ReferenceBackend implements CirculantBackend {

  @Override
  public String name() {
    return "reference";
  }

  @Override
  public String description() {
    return "dense expansion of the blocks, textbook loops in double precision (the oracle)";
  }

  @Override
  public CirculantKernel prepare(BlockCirculantMatrix matrix, KernelOptions options) {
    return new Kernel(matrix);
  }

  @Override
  public DenseKernel prepareDense(BlockCirculantMatrix matrix, KernelOptions options) {
    Kernel k = new Kernel(matrix);
    return new DenseKernel() {
      @Override
      public float[] forward(float[] x, int batch) {
        return k.forward(x, batch);
      }

      @Override
      public long weightBytes() {
        return matrix.denseBytes();
      }

      @Override
      public void close() {}
    };
  }

  private static final class Kernel implements CirculantKernel {
    private final BlockCirculantMatrix w;
    private final float[] dense;
    private final int m;
    private final int n;

    Kernel(BlockCirculantMatrix w) {
      this.w = w;
      this.dense = w.toDense();
      this.m = w.rows();
      this.n = w.cols();
    }

    @Override
    public BlockCirculantMatrix matrix() {
      return w;
    }

    @Override
    public String backend() {
      return "reference";
    }

    @Override
    public float[] forward(float[] x, int batch) {
      Shapes.forward(w, x, batch);
      float[] y = new float[batch * m];
      for (int b = 0; b < batch; b++) {
        for (int r = 0; r < m; r++) {
          double acc = 0;
          for (int c = 0; c < n; c++) {
            acc += (double) dense[r * n + c] * x[b * n + c];
          }
          y[b * m + r] = (float) acc;
        }
      }
      return y;
    }

    @Override
    public float[] backwardInput(float[] dy, int batch) {
      Shapes.backwardInput(w, dy, batch);
      float[] dx = new float[batch * n];
      for (int b = 0; b < batch; b++) {
        for (int c = 0; c < n; c++) {
          double acc = 0;
          for (int r = 0; r < m; r++) {
            acc += (double) dense[r * n + c] * dy[b * m + r];
          }
          dx[b * n + c] = (float) acc;
        }
      }
      return dx;
    }

    @Override
    public float[] backwardWeights(float[] x, float[] dy, int batch) {
      Shapes.backwardWeights(w, x, dy, batch);
      int k = w.blockSize();
      int q = w.blockCols();
      double[] g = new double[w.blockRows() * q * k];
      // ∂L/∂W[r][c] = Σ_b dy[b][r]·x[b][c]; every dense entry is one block-vector entry.
      for (int r = 0; r < m; r++) {
        for (int c = 0; c < n; c++) {
          double acc = 0;
          for (int b = 0; b < batch; b++) {
            acc += (double) dy[b * m + r] * x[b * n + c];
          }
          g[((r / k) * q + c / k) * k + Math.floorMod(r % k - c % k, k)] += acc;
        }
      }
      float[] out = new float[g.length];
      for (int i = 0; i < g.length; i++) {
        out[i] = (float) g[i];
      }
      return out;
    }

    @Override
    public void close() {}
  }
}
