package dev.weft.accel.circulant;

/**
 * Block-circulant products on ONNX Runtime: the exported forward graph of W, the forward graph of
 * Wᵀ for the input gradient, and the weight-gradient graph, one session each, built on first use.
 */
final class OnnxFftKernel implements CirculantKernel {

  private final BlockCirculantMatrix w;
  private final int threads;
  private final OnnxSession forward;
  private OnnxSession adjoint;
  private OnnxSession weights;

  OnnxFftKernel(BlockCirculantMatrix w, int threads) {
    this.w = w;
    this.threads = threads;
    this.forward = new OnnxSession(CirculantOnnx.linear(w, null), threads);
  }

  @Override
  public BlockCirculantMatrix matrix() {
    return w;
  }

  @Override
  public String backend() {
    return "onnxruntime";
  }

  @Override
  public float[] forward(float[] x, int batch) {
    Shapes.forward(w, x, batch);
    return forward.run("input", x, batch, w.cols());
  }

  @Override
  public float[] backwardInput(float[] dy, int batch) {
    Shapes.backwardInput(w, dy, batch);
    if (adjoint == null) {
      adjoint = new OnnxSession(CirculantOnnx.linear(w.transpose(), null), threads);
    }
    return adjoint.run("input", dy, batch, w.rows());
  }

  @Override
  public float[] backwardWeights(float[] x, float[] dy, int batch) {
    Shapes.backwardWeights(w, x, dy, batch);
    if (weights == null) {
      weights = new OnnxSession(CirculantOnnx.weightGradient(w), threads);
    }
    return weights.run(
        new String[] {"x", "dy"}, new float[][] {x, dy}, batch, new int[] {w.cols(), w.rows()});
  }

  @Override
  public void close() {
    forward.close();
    if (adjoint != null) {
      adjoint.close();
    }
    if (weights != null) {
      weights.close();
    }
  }
}
