package dev.weft.accel.circulant;

/**
 * The half-spectrum layout the pytorch and onnxruntime forward products share: each length-k block
 * goes to its h = k/2 + 1 non-negative frequencies by one real matrix product with a precomputed
 * DFT matrix, the sum over blocks is one batched real matmul per frequency, and one more matrix
 * product goes back.
 *
 * <p>Why matrices rather than FFT calls: at batch 1 the framework's cost is per operator, not per
 * flop. A k × 2h DFT matrix turns the transform into one GEMM, cheaper than an FFT call plus the
 * complex-view and copy operators around it (PyTorch's complex batched matmul was also ~10× slower
 * than a real one at batch 1). The transform costs k + 2 multiply-adds per input value, against m
 * for the dense product, so it pays for k much smaller than m.
 *
 * <p>Layout: for input rows X (B·q × k), {@code X·forwardDft(k)} is B·q × 2h with column 2f the
 * real part and 2f + 1 the imaginary part of frequency f. Rearranged to [h, 2B, q] (per frequency,
 * row (b, 0) holds the real and row (b, 1) the imaginary parts of the q input blocks) it multiplies
 * {@link #spectrumWeights} [h, q, 2p] = [Re W | Im W] to [h, 2B, 2p]: for each frequency, batch row
 * and output block i the four real products Xr·Wr, Xr·Wi, Xi·Wr, Xi·Wi. Rearranged to B·p × 4h it
 * multiplies {@link #inverseDft} (4h × k), which combines them into Re Y = Xr·Wr − Xi·Wi and Im Y =
 * Xr·Wi + Xi·Wr while transforming back, giving the B·p × k output blocks. Keeping Re W and Im W
 * once (not the 2 × 2 realified block) halves the weight bytes the batched matmul reads.
 */
final class HalfSpectrum {

  private HalfSpectrum() {}

  static int bins(int k) {
    return k / 2 + 1;
  }

  /** k × 2h, row-major: [c][2f] = cos(2π·f·c/k), [c][2f + 1] = −sin(2π·f·c/k). */
  static float[] forwardDft(int k) {
    int h = bins(k);
    float[] f = new float[k * 2 * h];
    for (int c = 0; c < k; c++) {
      for (int b = 0; b < h; b++) {
        double angle = 2 * Math.PI * ((long) b * c % k) / k;
        f[c * 2 * h + 2 * b] = (float) Math.cos(angle);
        f[c * 2 * h + 2 * b + 1] = (float) -Math.sin(angle);
      }
    }
    return f;
  }

  /**
   * 4h × k, row-major: the inverse real DFT from the half spectrum, y[r] = (1/k)·Σ_f a_f·(Re
   * Y[f]·cos(2π·f·r/k) − Im Y[f]·sin(2π·f·r/k)) with a_f = 2 for the frequencies whose conjugate
   * mirror is not stored and 1 for f = 0 and (k even) f = k/2, applied to the four products per
   * frequency (Xr·Wr, Xr·Wi, Xi·Wr, Xi·Wi) with Re Y = Xr·Wr − Xi·Wi, Im Y = Xr·Wi + Xi·Wr.
   */
  static float[] inverseDft(int k) {
    int h = bins(k);
    float[] g = new float[4 * h * k];
    for (int b = 0; b < h; b++) {
      double a = (b == 0 || 2 * b == k) ? 1 : 2;
      for (int r = 0; r < k; r++) {
        double angle = 2 * Math.PI * ((long) b * r % k) / k;
        float re = (float) (a * Math.cos(angle) / k);
        float im = (float) (-a * Math.sin(angle) / k);
        g[(4 * b) * k + r] = re;
        g[(4 * b + 1) * k + r] = im;
        g[(4 * b + 2) * k + r] = im;
        g[(4 * b + 3) * k + r] = -re;
      }
    }
    return g;
  }

  /**
   * [h, q, 2p], row-major: per frequency f, entry (j, i) = Re W_ij[f] and (j, p + i) = Im W_ij[f].
   */
  static float[] spectrumWeights(BlockCirculantMatrix w) {
    int k = w.blockSize();
    int p = w.blockRows();
    int q = w.blockCols();
    int h = bins(k);
    float[] out = new float[h * q * 2 * p];
    RealFft fft = new RealFft(k);
    float[] blocks = w.blocks();
    float[] re = new float[h];
    float[] im = new float[h];
    float[] sr = new float[k];
    float[] si = new float[k];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < q; j++) {
        fft.forward(blocks, (i * q + j) * k, k, re, im, 0, sr, si);
        for (int f = 0; f < h; f++) {
          int base = (f * q + j) * 2 * p;
          out[base + i] = re[f];
          out[base + p + i] = im[f];
        }
      }
    }
    return out;
  }

  /** batch × width rows copied into batch × padded rows (zeros after width); a itself if equal. */
  static float[] padRows(float[] a, int batch, int width, int padded) {
    if (padded == width) {
      return a;
    }
    float[] out = new float[batch * padded];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(a, b * width, out, b * padded, width);
    }
    return out;
  }

  /** batch × padded rows cut to their first width columns; a itself if equal. */
  static float[] cutRows(float[] a, int batch, int padded, int width) {
    if (padded == width) {
      return a;
    }
    float[] out = new float[batch * width];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(a, b * padded, out, b * width, width);
    }
    return out;
  }
}
