package dev.weft.accel.circulant;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The pytorch backend's dense baseline: X·Wᵀ with Wᵀ held as one n × m tensor. */
final class TorchDenseKernel implements DenseKernel {

  private final NDManager manager;
  private final NDArray wt;
  private final int m;
  private final int n;

  TorchDenseKernel(BlockCirculantMatrix w) {
    this.m = w.rows();
    this.n = w.cols();
    this.manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    try (NDArray dense = manager.create(w.toDense(), new Shape(m, n))) {
      this.wt = dense.transpose().duplicate();
    }
  }

  @Override
  public float[] forward(float[] x, int batch) {
    Shapes.check("input x (batch x n)", x, batch, n);
    try (NDManager step = manager.newSubManager()) {
      return step.create(x, new Shape(batch, n)).matMul(wt).toFloatArray();
    }
  }

  @Override
  public long weightBytes() {
    return 4L * m * n;
  }

  @Override
  public void close() {
    manager.close();
  }
}
