package dev.weft.accel.circulant;

import static dev.weft.accel.circulant.CirculantTesting.OPTIONS;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Mismatched shapes get the same clear message on every backend. */
class KernelBadInputTest {

  @Test
  void mismatchedShapesAreRejectedByEveryBackend() {
    BlockCirculantMatrix w = BlockCirculantMatrix.random(12, 8, 4, 1.0, 1);
    for (CirculantBackend b : CirculantBackends.all()) {
      try (CirculantKernel k = b.prepare(w, OPTIONS)) {
        assertThatThrownBy(() -> k.forward(new float[12], 2))
            .as(b.name())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("input x (batch x n) has 12 floats but batch 2 x width 8 = 16");
        assertThatThrownBy(() -> k.backwardInput(new float[8], 1))
            .as(b.name())
            .hasMessageContaining("gradient dy (batch x m) has 8 floats but batch 1 x width 12");
        assertThatThrownBy(() -> k.backwardWeights(new float[8], new float[12], 0))
            .as(b.name())
            .hasMessageContaining("batch must be >= 1");
      }
    }
  }
}
