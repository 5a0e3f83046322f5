package dev.weft.accel.circulant;

/**
 * ONNX Runtime: each product is an ONNX graph of {@code DFT} nodes and one MatMul over frequencies
 * ({@link CirculantOnnx}), run by an ORT session with {@link KernelOptions#threads()} intra-op
 * threads. The input gradient runs the forward graph of Wᵀ (block-circulant again).
 */
public final class OnnxBackend implements CirculantBackend {

  @Override
  public String name() {
    return "onnxruntime";
  }

  @Override
  public String description() {
    return "ONNX Runtime: exported graph with DFT ops and a MatMul over frequencies";
  }

  @Override
  public CirculantKernel prepare(BlockCirculantMatrix matrix, KernelOptions options) {
    return new OnnxFftKernel(matrix, options.threads());
  }

  @Override
  public DenseKernel prepareDense(BlockCirculantMatrix matrix, KernelOptions options) {
    int m = matrix.rows();
    int n = matrix.cols();
    float[] dense = matrix.toDense();
    float[] wt = new float[m * n];
    for (int r = 0; r < m; r++) {
      for (int c = 0; c < n; c++) {
        wt[c * m + r] = dense[r * n + c];
      }
    }
    OnnxSession session = new OnnxSession(CirculantOnnx.dense(wt, m, n), options.threads());
    return new DenseKernel() {
      @Override
      public float[] forward(float[] x, int batch) {
        Shapes.check("input x (batch x n)", x, batch, n);
        return session.run("input", x, batch, n);
      }

      @Override
      public long weightBytes() {
        return 4L * m * n;
      }

      @Override
      public void close() {
        session.close();
      }
    };
  }
}
