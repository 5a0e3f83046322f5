package dev.weft.accel.circulant;

/** A backend's plain dense product with an m × n matrix: Y = X·Wᵀ, the benchmark baseline. */
public interface DenseKernel extends AutoCloseable {

  /** x is batch × n, the result batch × m. */
  float[] forward(float[] x, int batch);

  /** Bytes of weights the product reads once per call. */
  long weightBytes();

  @Override
  void close();
}
