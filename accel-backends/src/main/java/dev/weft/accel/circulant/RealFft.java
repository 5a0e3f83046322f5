package dev.weft.accel.circulant;

/**
 * FFT of one real block of length k, returning the k/2 + 1 non-negative frequencies (the rest are
 * their conjugates), and the inverse back to k reals. Powers of two use an iterative radix-2
 * complex FFT with precomputed twiddles and bit-reversal; other k use a direct DFT over a
 * precomputed cos/sin table (O(k²), fine for the small odd block sizes a layer might use). Sign
 * convention: X[f] = Σ_t x[t]·e^{−2πi·f·t/k}; the inverse scales by 1/k. Instances are immutable;
 * callers pass scratch arrays of length k, one pair per thread.
 */
final class RealFft {

  final int k;
  final int bins;
  private final boolean pow2;
  private final float[] cos;
  private final float[] sin;
  private final int[] rev;

  RealFft(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("FFT length must be >= 1: " + k);
    }
    this.k = k;
    this.bins = k / 2 + 1;
    this.pow2 = Integer.bitCount(k) == 1;
    cos = new float[k];
    sin = new float[k];
    for (int t = 0; t < k; t++) {
      double a = 2 * Math.PI * t / k;
      cos[t] = (float) Math.cos(a);
      sin[t] = (float) Math.sin(a);
    }
    rev = new int[k];
    int bits = Integer.numberOfTrailingZeros(k);
    for (int i = 0; pow2 && i < k; i++) {
      rev[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
    }
  }

  /**
   * Spectrum of x[off .. off+len) zero-padded to k, into re/im[outOff .. outOff+bins). sr and si
   * are scratch of length k.
   */
  void forward(
      float[] x, int off, int len, float[] re, float[] im, int outOff, float[] sr, float[] si) {
    if (pow2) {
      for (int t = 0; t < k; t++) {
        int s = rev[t];
        sr[t] = s < len ? x[off + s] : 0f;
        si[t] = 0f;
      }
      butterflies(sr, si);
      System.arraycopy(sr, 0, re, outOff, bins);
      System.arraycopy(si, 0, im, outOff, bins);
      return;
    }
    for (int f = 0; f < bins; f++) {
      double ar = 0;
      double ai = 0;
      int idx = 0;
      for (int t = 0; t < len; t++) {
        ar += x[off + t] * cos[idx];
        ai -= x[off + t] * sin[idx];
        idx += f;
        if (idx >= k) {
          idx -= k;
        }
      }
      re[outOff + f] = (float) ar;
      im[outOff + f] = (float) ai;
    }
  }

  /**
   * The first len of the k reals whose spectrum's non-negative half is re/im[inOff .. inOff+bins),
   * into out[outOff ..). Imaginary parts of the DC and Nyquist bins are ignored, as an inverse real
   * FFT does.
   */
  void inverse(
      float[] re, float[] im, int inOff, float[] out, int outOff, int len, float[] sr, float[] si) {
    float scale = 1f / k;
    if (pow2) {
      // x = Re(FFT(conj S)) / k, with S the full conjugate-symmetric spectrum.
      for (int f = 0; f < k; f++) {
        int src = f < bins ? f : k - f;
        float r = re[inOff + src];
        float i = f < bins ? -im[inOff + src] : im[inOff + src];
        int dst = rev[f];
        sr[dst] = r;
        si[dst] = i;
      }
      butterflies(sr, si);
      for (int t = 0; t < len; t++) {
        out[outOff + t] = sr[t] * scale;
      }
      return;
    }
    int half = (k - 1) / 2; // bins 1..half have a distinct mirror; an even k adds a Nyquist bin
    for (int t = 0; t < len; t++) {
      double acc = re[inOff];
      double pair = 0;
      int idx = 0;
      for (int f = 1; f <= half; f++) {
        idx += t;
        if (idx >= k) {
          idx -= k;
        }
        pair += re[inOff + f] * cos[idx] - im[inOff + f] * sin[idx];
      }
      if (k % 2 == 0) {
        acc += re[inOff + k / 2] * ((t & 1) == 0 ? 1 : -1);
      }
      out[outOff + t] = (float) ((acc + 2 * pair) * scale);
    }
  }

  /** In-place radix-2 decimation-in-time on bit-reversed input, forward sign. */
  private void butterflies(float[] sr, float[] si) {
    for (int size = 2; size <= k; size <<= 1) {
      int halfSize = size >> 1;
      int step = k / size;
      for (int start = 0; start < k; start += size) {
        for (int j = 0, tw = 0; j < halfSize; j++, tw += step) {
          float wr = cos[tw];
          float wi = -sin[tw];
          int a = start + j;
          int b = a + halfSize;
          float tr = sr[b] * wr - si[b] * wi;
          float ti = sr[b] * wi + si[b] * wr;
          sr[b] = sr[a] - tr;
          si[b] = si[a] - ti;
          sr[a] += tr;
          si[a] += ti;
        }
      }
    }
  }
}
