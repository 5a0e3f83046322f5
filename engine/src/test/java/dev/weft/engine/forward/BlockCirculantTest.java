package dev.weft.engine.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The FFT product against the dense matrix expanded from the same block vectors. */
class BlockCirculantTest {

  /** The dense m×n matrix of block vectors [p][q][k] (first-column convention), row-major. */
  static float[] dense(float[] blocks, int m, int n, int k) {
    int q = (n + k - 1) / k;
    float[] w = new float[m * n];
    for (int r = 0; r < m; r++) {
      for (int c = 0; c < n; c++) {
        int i = r / k;
        int j = c / k;
        int d = Math.floorMod(r % k - c % k, k);
        w[r * n + c] = blocks[(i * q + j) * k + d];
      }
    }
    return w;
  }

  @Property(tries = 30, seed = "1010")
  void productAndGradientsEqualTheDenseMatrix(
      @ForAll @IntRange(min = 1, max = 40) int m,
      @ForAll @IntRange(min = 1, max = 40) int n,
      @ForAll @IntRange(min = 1, max = 12) int k,
      @ForAll @IntRange(min = 1, max = 5) int rows,
      @ForAll @LongRange(max = 1_000_000) long seed) {
    Random random = new Random(seed);
    int p = (m + k - 1) / k;
    int q = (n + k - 1) / k;
    float[] blocks = gaussian(random, p * q * k);
    float[] x = gaussian(random, rows * n);
    float[] upstream = gaussian(random, rows * m);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray xa = manager.create(x, new Shape(rows, n));
      NDArray wa = manager.create(blocks, new Shape(p, q, k));
      NDArray g = manager.create(upstream, new Shape(rows, m));
      xa.setRequiresGradient(true);
      wa.setRequiresGradient(true);
      NDArray y;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        y = BlockCirculant.multiply(xa, BlockCirculant.spectra(wa), m, n, k);
        gc.backward(y.mul(g).sum());
      }
      float[] w = dense(blocks, m, n, k);
      float[] want = new float[rows * m];
      float[] wantDx = new float[rows * n];
      for (int b = 0; b < rows; b++) {
        for (int r = 0; r < m; r++) {
          for (int c = 0; c < n; c++) {
            want[b * m + r] += w[r * n + c] * x[b * n + c];
            wantDx[b * n + c] += w[r * n + c] * upstream[b * m + r];
          }
        }
      }
      // dL/dw_ij[d] sums dL/dW[r][c] over the entries of block (i, j) on wrapped diagonal d.
      float[] wantDw = new float[p * q * k];
      for (int r = 0; r < m; r++) {
        for (int c = 0; c < n; c++) {
          int d = Math.floorMod(r % k - c % k, k);
          float dW = 0;
          for (int b = 0; b < rows; b++) {
            dW += upstream[b * m + r] * x[b * n + c];
          }
          wantDw[((r / k) * q + c / k) * k + d] += dW;
        }
      }
      assertClose(y.toFloatArray(), want);
      assertClose(xa.getGradient().toFloatArray(), wantDx);
      assertClose(wa.getGradient().toFloatArray(), wantDw);
    }
  }

  @Property(tries = 5, seed = "77")
  void keepsLeadingDimensions(@ForAll @IntRange(min = 1, max = 4) int a) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray x = manager.ones(new Shape(a, 3, 10));
      NDArray w = manager.ones(new Shape(2, 3, 4));
      NDArray y = BlockCirculant.multiply(x, BlockCirculant.spectra(w), 7, 10, 4);
      assertThat(y.getShape()).isEqualTo(new Shape(a, 3, 7));
    }
  }

  @Property(tries = 1)
  void mismatchedShapesAreNamed() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray spectra = BlockCirculant.spectra(manager.ones(new Shape(2, 3, 4)));
      assertThatThrownBy(
              () -> BlockCirculant.multiply(manager.ones(new Shape(1, 9)), spectra, 8, 12, 4))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not end in the matrix's 12 columns");
      assertThatThrownBy(
              () -> BlockCirculant.multiply(manager.ones(new Shape(1, 12)), spectra, 16, 12, 4))
          .hasMessageContaining("do not fit a 16x12 matrix");
    }
  }

  static float[] gaussian(Random random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }

  static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double scale = 1e-6;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) Math.abs(actual[i] - expected[i]))
          .as("element %d: %f vs %f", i, actual[i], expected[i])
          .isLessThanOrEqualTo(1e-5 * scale * 4);
    }
  }
}
