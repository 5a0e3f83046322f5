package dev.weft.accel.circulant;

import dev.weft.accel.graph.Parallel;

/**
 * Block-circulant products by FFT (NOTES.md section 6): a_i = IFFT(Σ_j FFT(w_ij) ∘ FFT(x_j)),
 * ∂L/∂x_j = Σ_i IFFT(FFT(δ_i) ∘ conj(FFT(w_ij))), ∂L/∂w_ij = IFFT(Σ_b FFT(δ_i) ∘ conj(FFT(x_j))).
 * Spectra are split real/imaginary float arrays of k/2 + 1 bins per block, so the multiply-
 * accumulate loops run over contiguous floats and vectorize.
 */
final class JavaFftKernel implements CirculantKernel {

  private final BlockCirculantMatrix w;
  private final RealFft fft;
  private final int k;
  private final int h;
  private final int p;
  private final int q;
  private final int m;
  private final int n;
  private final float[] wr;
  private final float[] wi;
  private final Parallel parallel;

  JavaFftKernel(BlockCirculantMatrix w, int threads) {
    this.w = w;
    this.k = w.blockSize();
    this.fft = new RealFft(k);
    this.h = fft.bins;
    this.p = w.blockRows();
    this.q = w.blockCols();
    this.m = w.rows();
    this.n = w.cols();
    this.parallel = new Parallel(threads);
    float[] blocks = w.blocks();
    wr = new float[p * q * h];
    wi = new float[p * q * h];
    parallel.forEach(
        p,
        i -> {
          float[] sr = new float[k];
          float[] si = new float[k];
          for (int j = 0; j < q; j++) {
            int blk = i * q + j;
            fft.forward(blocks, blk * k, k, wr, wi, blk * h, sr, si);
          }
        });
  }

  @Override
  public BlockCirculantMatrix matrix() {
    return w;
  }

  @Override
  public String backend() {
    return "java";
  }

  /** Spectra of every block of a batch × width array: [b][block][bin]. */
  private float[][] spectra(float[] a, int batch, int width, int blocksPerRow) {
    float[] re = new float[batch * blocksPerRow * h];
    float[] im = new float[batch * blocksPerRow * h];
    parallel.forEach(
        Math.min(batch * blocksPerRow, 4 * parallel.threads()),
        chunk -> {
          float[] sr = new float[k];
          float[] si = new float[k];
          int total = batch * blocksPerRow;
          int chunks = Math.min(total, 4 * parallel.threads());
          for (int t = chunk * total / chunks; t < (chunk + 1) * total / chunks; t++) {
            int b = t / blocksPerRow;
            int j = t % blocksPerRow;
            int len = Math.min(k, width - j * k);
            fft.forward(a, b * width + j * k, len, re, im, t * h, sr, si);
          }
        });
    return new float[][] {re, im};
  }

  @Override
  public float[] forward(float[] x, int batch) {
    Shapes.forward(w, x, batch);
    float[][] xs = spectra(x, batch, n, q);
    return combine(xs[0], xs[1], batch, p, q, m, false);
  }

  @Override
  public float[] backwardInput(float[] dy, int batch) {
    Shapes.backwardInput(w, dy, batch);
    float[][] ds = spectra(dy, batch, m, p);
    return combine(ds[0], ds[1], batch, q, p, n, true);
  }

  /**
   * out[b][o] = IFFT(Σ_s W'[o][s] ∘ S[b][s]) for o < outBlocks, s < inBlocks, where W' is the
   * weight spectrum (forward) or, transposed, its conjugate (input gradient).
   */
  private float[] combine(
      float[] sre, float[] sim, int batch, int outBlocks, int inBlocks, int width, boolean adj) {
    float[] out = new float[batch * width];
    parallel.forEach(
        outBlocks,
        o -> {
          float[] ar = new float[h];
          float[] ai = new float[h];
          float[] sr = new float[k];
          float[] si = new float[k];
          int len = Math.min(k, width - o * k);
          for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(ar, 0f);
            java.util.Arrays.fill(ai, 0f);
            for (int s = 0; s < inBlocks; s++) {
              int wOff = (adj ? s * q + o : o * q + s) * h;
              int xOff = (b * inBlocks + s) * h;
              if (adj) {
                for (int f = 0; f < h; f++) {
                  float a = wr[wOff + f];
                  float c = wi[wOff + f];
                  float xr = sre[xOff + f];
                  float xi = sim[xOff + f];
                  ar[f] += a * xr + c * xi;
                  ai[f] += a * xi - c * xr;
                }
              } else {
                for (int f = 0; f < h; f++) {
                  float a = wr[wOff + f];
                  float c = wi[wOff + f];
                  float xr = sre[xOff + f];
                  float xi = sim[xOff + f];
                  ar[f] += a * xr - c * xi;
                  ai[f] += a * xi + c * xr;
                }
              }
            }
            fft.inverse(ar, ai, 0, out, b * width + o * k, len, sr, si);
          }
        });
    return out;
  }

  @Override
  public float[] backwardWeights(float[] x, float[] dy, int batch) {
    Shapes.backwardWeights(w, x, dy, batch);
    float[][] xs = spectra(x, batch, n, q);
    float[][] ds = spectra(dy, batch, m, p);
    float[] g = new float[p * q * k];
    parallel.forEach(
        p,
        i -> {
          float[] ar = new float[h];
          float[] ai = new float[h];
          float[] sr = new float[k];
          float[] si = new float[k];
          for (int j = 0; j < q; j++) {
            java.util.Arrays.fill(ar, 0f);
            java.util.Arrays.fill(ai, 0f);
            for (int b = 0; b < batch; b++) {
              int dOff = (b * p + i) * h;
              int xOff = (b * q + j) * h;
              for (int f = 0; f < h; f++) {
                float dr = ds[0][dOff + f];
                float di = ds[1][dOff + f];
                float xr = xs[0][xOff + f];
                float xi = xs[1][xOff + f];
                // δ ∘ conj(x)
                ar[f] += dr * xr + di * xi;
                ai[f] += di * xr - dr * xi;
              }
            }
            fft.inverse(ar, ai, 0, g, (i * q + j) * k, k, sr, si);
          }
        });
    return g;
  }

  @Override
  public void close() {
    parallel.close();
  }
}
