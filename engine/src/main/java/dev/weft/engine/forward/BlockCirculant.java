package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Block-circulant matrix products on DJL NDArrays through real FFTs (CirCNN, E-RNN). An m×n matrix
 * W is p×q blocks of k×k (p = ⌈m/k⌉, q = ⌈n/k⌉), block (i, j) circulant with first column w_ij:
 * {@code W_ij[r][c] = w_ij[(r − c) mod k]}, so {@code W_ij x_j = IFFT(FFT(w_ij) ∘ FFT(x_j))} and
 * {@code a_i = IFFT(Σ_j FFT(w_ij) ∘ FFT(x_j))}: one inverse FFT per output block. Inputs are
 * zero-padded to q·k, outputs cut to m.
 *
 * <p>Everything is ordinary differentiable NDArray arithmetic, so DJL autograd gives the gradients
 * of both the input and the block vectors. The sum over j for every frequency is one batched
 * complex matrix product ([kf, N, q] × [kf, q, p]), the fastest way to run it through PyTorch.
 *
 * <p>This lives in the engine (not in accel-backends, which depends on the engine) because serving
 * a block-circulant checkpoint needs it; the trainable layers in accel-backends use it too.
 */
public final class BlockCirculant {

  private BlockCirculant() {}

  /**
   * The weight spectra of block vectors {@code [p, q, k]}: complex {@code [k/2 + 1, q, p]}, the
   * layout {@link #multiply} takes. Serving computes them once; training recomputes them from the
   * parameter every step so the gradient reaches the block vectors.
   */
  public static NDArray spectra(NDArray blocks) {
    Shape s = blocks.getShape();
    if (s.dimension() != 3) {
      throw new IllegalArgumentException("block vectors must be [p, q, k], got " + s);
    }
    long k = s.get(2);
    return blocks.rfft(k, 2).transpose(2, 1, 0);
  }

  /**
   * {@code x Wᵀ} for rows {@code x} ({@code [..., n]}): returns {@code [..., m]}.
   *
   * @param spectra from {@link #spectra}, of a matrix with {@code m} rows and {@code n} columns
   * @param k the block size the spectra came from
   */
  public static NDArray multiply(NDArray x, NDArray spectra, int m, int n, int k) {
    Shape ss = spectra.getShape();
    long q = ss.get(1);
    long p = ss.get(2);
    if (ss.get(0) != k / 2 + 1 || q != blocks(n, k) || p != blocks(m, k)) {
      throw new IllegalArgumentException(
          "spectra "
              + ss
              + " do not fit a "
              + m
              + "x"
              + n
              + " matrix of "
              + k
              + "x"
              + k
              + " blocks");
    }
    Shape xs = x.getShape();
    if (xs.dimension() < 1 || xs.get(xs.dimension() - 1) != n) {
      throw new IllegalArgumentException(
          "input of shape " + xs + " does not end in the matrix's " + n + " columns");
    }
    Shape lead = xs.slice(0, xs.dimension() - 1);
    long rows = lead.size();
    NDArray flat = x.reshape(rows, n);
    if (q * k != n) {
      flat = flat.concat(x.getManager().zeros(new Shape(rows, q * k - n), x.getDataType()), 1);
    }
    NDArray xf = flat.reshape(rows, q, k).rfft(k, 2).transpose(2, 0, 1);
    NDArray yf = xf.matMul(spectra).transpose(1, 2, 0);
    NDArray y = yf.irfft(k, 2).reshape(rows, p * k);
    if (p * k != m) {
      y = y.get(new NDIndex(":, 0:{}", m));
    }
    return y.reshape(lead.add(m));
  }

  /** Number of k-blocks covering {@code size}. */
  static long blocks(int size, int k) {
    return (size + k - 1) / k;
  }
}
