package dev.weft.accel.circulant;

/**
 * One backend's prepared form of one {@link BlockCirculantMatrix} W (m × n, block size k). Arrays
 * are row-major batches (see the package documentation): inputs batch × n, outputs batch × m.
 * Methods throw {@link IllegalArgumentException} naming the mismatch when an array's length is not
 * the batch times the expected width. Not safe for concurrent calls on one kernel.
 */
public interface CirculantKernel extends AutoCloseable {

  BlockCirculantMatrix matrix();

  /** The backend's name, for reports. */
  String backend();

  /** Y = X·Wᵀ: x is batch × n, the result batch × m. */
  float[] forward(float[] x, int batch);

  /** y = W·x for one vector of length n. */
  default float[] multiply(float[] x) {
    return forward(x, 1);
  }

  /** ∂L/∂X = δ·W: dy is batch × m, the result batch × n. */
  float[] backwardInput(float[] dy, int batch);

  /**
   * ∂L/∂w summed over the batch, in the block-vector layout (p·q·k floats): ∂L/∂w_ij[d] = Σ_b Σ_{(r
   * − c) mod k = d} dy[b][i·k + r]·x[b][j·k + c].
   */
  float[] backwardWeights(float[] x, float[] dy, int batch);

  @Override
  void close();
}
