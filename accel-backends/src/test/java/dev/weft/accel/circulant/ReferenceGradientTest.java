package dev.weft.accel.circulant;

import static dev.weft.accel.circulant.CirculantTesting.OPTIONS;
import static dev.weft.accel.circulant.CirculantTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.accel.circulant.BlockCirculantMatrix.Padding;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The oracle's gradients against central finite differences of L = Σ dy ∘ forward(x; w), so that
 * the agreement test (fast backends vs reference) also checks every backend's gradients. L is
 * linear in x and in w, so a unit step has no truncation error, only float rounding.
 */
class ReferenceGradientTest {

  @Property(tries = 25, seed = "18121810")
  void gradientsMatchFiniteDifferences(
      @ForAll @IntRange(min = 1, max = 12) int m,
      @ForAll @IntRange(min = 1, max = 12) int n,
      @ForAll @IntRange(min = 1, max = 6) int k,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll long seed) {
    BlockCirculantMatrix w = BlockCirculantMatrix.random(m, n, k, 1.0, seed);
    float[] x = random(batch * n, seed + 1);
    float[] dy = random(batch * m, seed + 2);
    ReferenceBackend ref = new ReferenceBackend();
    CirculantKernel kernel = ref.prepare(w, OPTIONS);
    float[] dx = kernel.backwardInput(dy, batch);
    for (int i = 0; i < x.length; i++) {
      float[] plus = x.clone();
      float[] minus = x.clone();
      plus[i] += 1f;
      minus[i] -= 1f;
      double fd = (loss(kernel, plus, dy, batch) - loss(kernel, minus, dy, batch)) / 2;
      assertThat((double) dx[i]).as("dL/dx[%d]", i).isCloseTo(fd, within(1e-4));
    }
    float[] dw = kernel.backwardWeights(x, dy, batch);
    float[] blocks = w.blocks();
    for (int i = 0; i < blocks.length; i++) {
      float[] plus = blocks.clone();
      float[] minus = blocks.clone();
      plus[i] += 1f;
      minus[i] -= 1f;
      double fd =
          (loss(
                      ref.prepare(new BlockCirculantMatrix(m, n, k, plus, Padding.ZERO), OPTIONS),
                      x,
                      dy,
                      batch)
                  - loss(
                      ref.prepare(new BlockCirculantMatrix(m, n, k, minus, Padding.ZERO), OPTIONS),
                      x,
                      dy,
                      batch))
              / 2;
      assertThat((double) dw[i]).as("dL/dw[%d]", i).isCloseTo(fd, within(1e-4));
    }
  }

  private static double loss(CirculantKernel kernel, float[] x, float[] dy, int batch) {
    float[] y = kernel.forward(x, batch);
    double l = 0;
    for (int i = 0; i < y.length; i++) {
      l += (double) y[i] * dy[i];
    }
    return l;
  }
}
