package dev.weft.accel.circulant;

import static dev.weft.accel.circulant.CirculantTesting.OPTIONS;
import static dev.weft.accel.circulant.CirculantTesting.fastBackends;
import static dev.weft.accel.circulant.CirculantTesting.random;
import static dev.weft.accel.circulant.CirculantTesting.relativeError;
import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The must-show property: every backend's forward product and both gradients equal the dense
 * reference (relative error ≤ 1e-5, float32) for random shapes, block sizes (powers of two and not,
 * with padding) and batches.
 */
class BackendAgreementTest {

  static final double TOLERANCE = 1e-5;

  @Property(tries = 30, seed = "17081708")
  void everyBackendMatchesTheReference(
      @ForAll @IntRange(min = 1, max = 48) int m,
      @ForAll @IntRange(min = 1, max = 48) int n,
      @ForAll @IntRange(min = 1, max = 16) int k,
      @ForAll @IntRange(min = 1, max = 5) int batch,
      @ForAll long seed) {
    assertAgree(BlockCirculantMatrix.random(m, n, k, 1.0, seed), batch, seed);
  }

  @Test
  void benchmarkShapeAgrees() {
    // The benchmark's block size on a smaller matrix, batch > 1, m ≠ n.
    assertAgree(BlockCirculantMatrix.random(512, 256, 64, 0.1, 7), 3, 7);
  }

  @Test
  void denseBaselinesMatchTheReference() {
    // Odd sizes: n not a multiple of the java dense kernel's 8-row unroll, m spans two strips.
    BlockCirculantMatrix w = BlockCirculantMatrix.random(515, 203, 7, 0.1, 8);
    float[] x = random(3 * 203, 9);
    float[] y = new ReferenceBackend().prepare(w, OPTIONS).forward(x, 3);
    for (CirculantBackend b : CirculantBackends.all()) {
      try (DenseKernel d = b.prepareDense(w, OPTIONS)) {
        assertThat(relativeError(d.forward(x, 3), y)).as(b.name()).isLessThanOrEqualTo(TOLERANCE);
        assertThat(d.weightBytes()).isEqualTo(4L * 515 * 203);
      }
    }
  }

  static void assertAgree(BlockCirculantMatrix w, int batch, long seed) {
    float[] x = random(batch * w.cols(), seed + 1);
    float[] dy = random(batch * w.rows(), seed + 2);
    CirculantKernel ref = new ReferenceBackend().prepare(w, OPTIONS);
    float[] y = ref.forward(x, batch);
    float[] dx = ref.backwardInput(dy, batch);
    float[] dw = ref.backwardWeights(x, dy, batch);
    for (CirculantBackend b : fastBackends()) {
      try (CirculantKernel kernel = b.prepare(w, OPTIONS)) {
        String why = b.name() + " on " + w + " batch " + batch;
        assertThat(relativeError(kernel.forward(x, batch), y))
            .as(why + " forward")
            .isLessThanOrEqualTo(TOLERANCE);
        assertThat(relativeError(kernel.backwardInput(dy, batch), dx))
            .as(why + " dL/dx")
            .isLessThanOrEqualTo(TOLERANCE);
        assertThat(relativeError(kernel.backwardWeights(x, dy, batch), dw))
            .as(why + " dL/dw")
            .isLessThanOrEqualTo(TOLERANCE);
      }
    }
  }
}
