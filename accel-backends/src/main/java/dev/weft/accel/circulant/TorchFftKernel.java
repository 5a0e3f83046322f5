package dev.weft.accel.circulant;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Block-circulant products on PyTorch: blocks are rfft'd along their last axis, the sum over blocks
 * Σ_j W_ij ∘ X_j becomes one complex batched matmul with frequency as the batch axis ([h, B, q] ×
 * [h, q, p]), then irfft. The weight spectrum and its conjugate are computed once.
 */
final class TorchFftKernel implements CirculantKernel {

  private final BlockCirculantMatrix w;
  private final NDManager manager;
  private final int k;
  private final int p;
  private final int q;
  private final int m;
  private final int n;

  /** [h, q, p]: W spectrum laid out for the forward product. */
  private final NDArray forwardSpectrum;

  /** [h, p, q]: conj(W) spectrum for the input gradient. */
  private final NDArray adjointSpectrum;

  TorchFftKernel(BlockCirculantMatrix w) {
    this.w = w;
    this.k = w.blockSize();
    this.p = w.blockRows();
    this.q = w.blockCols();
    this.m = w.rows();
    this.n = w.cols();
    this.manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    try (NDManager scope = manager.newSubManager()) {
      NDArray spec = scope.create(w.blocks(), new Shape(p, q, k)).rfft(k, -1); // [p, q, h]
      NDArray fwd = spec.transpose(2, 1, 0); // [h, q, p]
      NDArray adj = conj(spec).transpose(2, 0, 1); // [h, p, q]
      forwardSpectrum = fwd.duplicate();
      adjointSpectrum = adj.duplicate();
      forwardSpectrum.attach(manager);
      adjointSpectrum.attach(manager);
    }
  }

  /** Complex conjugate through the real view: (re, im) → (re, −im). */
  private static NDArray conj(NDArray complex) {
    NDArray ri = complex.real();
    NDArray sign = ri.getManager().create(new float[] {1f, -1f});
    return ri.mul(sign).complex();
  }

  @Override
  public BlockCirculantMatrix matrix() {
    return w;
  }

  @Override
  public String backend() {
    return "pytorch";
  }

  /** rfft of each length-k block of a batch × width array, zero-padded: [B, blocks, h]. */
  private NDArray blockSpectra(NDManager s, float[] a, int batch, int width, int blocks) {
    NDArray t = s.create(a, new Shape(batch, width));
    if (blocks * k > width) {
      t = t.concat(s.zeros(new Shape(batch, (long) blocks * k - width)), 1);
    }
    return t.reshape(batch, blocks, k).rfft(k, -1);
  }

  /** irfft of [h, B, blocks] spectra back to a batch × width float array. */
  private float[] fromSpectra(NDArray spec, int batch, int blocks, int width) {
    NDArray t = spec.transpose(1, 2, 0).irfft(k, -1).reshape(batch, (long) blocks * k);
    if (blocks * k > width) {
      t = t.get(new NDIndex(":, 0:{}", width));
    }
    return t.toFloatArray();
  }

  @Override
  public float[] forward(float[] x, int batch) {
    Shapes.forward(w, x, batch);
    try (NDManager s = manager.newSubManager()) {
      NDArray xs = blockSpectra(s, x, batch, n, q).transpose(2, 0, 1); // [h, B, q]
      return fromSpectra(xs.matMul(forwardSpectrum), batch, p, m);
    }
  }

  @Override
  public float[] backwardInput(float[] dy, int batch) {
    Shapes.backwardInput(w, dy, batch);
    try (NDManager s = manager.newSubManager()) {
      NDArray ds = blockSpectra(s, dy, batch, m, p).transpose(2, 0, 1); // [h, B, p]
      return fromSpectra(ds.matMul(adjointSpectrum), batch, q, n);
    }
  }

  @Override
  public float[] backwardWeights(float[] x, float[] dy, int batch) {
    Shapes.backwardWeights(w, x, dy, batch);
    try (NDManager s = manager.newSubManager()) {
      NDArray ds = blockSpectra(s, dy, batch, m, p).transpose(2, 1, 0); // [h, p, B]
      NDArray xs = conj(blockSpectra(s, x, batch, n, q)).transpose(2, 0, 1); // [h, B, q]
      NDArray g = ds.matMul(xs).transpose(1, 2, 0).irfft(k, -1); // [p, q, k]
      return g.toFloatArray();
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
