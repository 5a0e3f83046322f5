package dev.weft.accel.circulant;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Block-circulant products on PyTorch. Forward and input gradient use the {@link HalfSpectrum}
 * layout: a DFT-matrix GEMM, one real batched matmul over frequencies ([h, 2B, q] × [h, q, 2p]) and
 * an inverse-DFT GEMM, with views between them — per-operator cost is what bounds the time at batch
 * 1. The weight gradient (not on the serving path) uses {@code rfft}, a complex batched matmul and
 * {@code irfft}. Weight spectra are computed once.
 */
final class TorchFftKernel implements CirculantKernel {

  private final BlockCirculantMatrix w;
  private final NDManager manager;
  private final int k;
  private final int p;
  private final int q;
  private final NDArray dft;
  private final NDArray inverseDft;

  /** [h, q, 2p] spectrum of W, and [h, p, 2q] of Wᵀ for the input gradient. */
  private final NDArray forwardWeights;

  private final NDArray adjointWeights;

  TorchFftKernel(BlockCirculantMatrix w) {
    this.w = w;
    this.k = w.blockSize();
    this.p = w.blockRows();
    this.q = w.blockCols();
    int h = HalfSpectrum.bins(k);
    this.manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    dft = manager.create(HalfSpectrum.forwardDft(k), new Shape(k, 2L * h));
    inverseDft = manager.create(HalfSpectrum.inverseDft(k), new Shape(4L * h, k));
    forwardWeights = manager.create(HalfSpectrum.spectrumWeights(w), new Shape(h, q, 2L * p));
    adjointWeights =
        manager.create(HalfSpectrum.spectrumWeights(w.transpose()), new Shape(h, p, 2L * q));
  }

  @Override
  public BlockCirculantMatrix matrix() {
    return w;
  }

  @Override
  public String backend() {
    return "pytorch";
  }

  @Override
  public float[] forward(float[] x, int batch) {
    Shapes.forward(w, x, batch);
    return product(x, batch, w.cols(), q, forwardWeights, p, w.rows());
  }

  @Override
  public float[] backwardInput(float[] dy, int batch) {
    Shapes.backwardInput(w, dy, batch);
    return product(dy, batch, w.rows(), p, adjointWeights, q, w.cols());
  }

  /** batch × width input in inBlocks blocks → batch × outWidth, through [h, in, 2·out] weights. */
  private float[] product(
      float[] a, int batch, int width, int inBlocks, NDArray weights, int outBlocks, int outWidth) {
    int h = HalfSpectrum.bins(k);
    float[] padded = HalfSpectrum.padRows(a, batch, width, inBlocks * k);
    try (NDManager s = manager.newSubManager()) {
      // Results belong to the left operand's manager, so every chain starts from a scoped array.
      NDArray spec =
          s.create(padded, new Shape((long) batch * inBlocks, k))
              .matMul(dft) // [B·in, 2h]
              .reshape(batch, inBlocks, h, 2)
              .transpose(2, 0, 3, 1)
              .reshape(h, 2L * batch, inBlocks); // rows (b, re/im)
      NDArray out =
          spec.matMul(weights) // [h, 2B, 2·out]: (b, Xr/Xi) × (Wr/Wi, i)
              .reshape(h, batch, 4, outBlocks)
              .transpose(1, 3, 0, 2)
              .reshape((long) batch * outBlocks, 4L * h)
              .matMul(inverseDft); // [B·out, k]
      return HalfSpectrum.cutRows(out.toFloatArray(), batch, outBlocks * k, outWidth);
    }
  }

  /** Complex conjugate through the real view: (re, im) → (re, −im). */
  private static NDArray conj(NDArray complex) {
    NDArray ri = complex.real();
    NDArray sign = ri.getManager().create(new float[] {1f, -1f});
    return ri.mul(sign).complex();
  }

  /** rfft of each length-k block of a batch × width array, zero-padded: [B, blocks, h]. */
  private NDArray blockSpectra(NDManager s, float[] a, int batch, int width, int blocks) {
    float[] padded = HalfSpectrum.padRows(a, batch, width, blocks * k);
    return s.create(padded, new Shape(batch, blocks, k)).rfft(k, -1);
  }

  @Override
  public float[] backwardWeights(float[] x, float[] dy, int batch) {
    Shapes.backwardWeights(w, x, dy, batch);
    try (NDManager s = manager.newSubManager()) {
      NDArray ds = blockSpectra(s, dy, batch, w.rows(), p).transpose(2, 1, 0); // [h, p, B]
      NDArray xs = conj(blockSpectra(s, x, batch, w.cols(), q)).transpose(2, 0, 1); // [h, B, q]
      NDArray g = ds.matMul(xs).transpose(1, 2, 0).irfft(k, -1); // [p, q, k]
      return g.toFloatArray();
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
