package dev.weft.trainer.worker;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DivergedExceptionTest {

  @Test
  void aFiniteLossAndGradientPass() {
    assertThatCode(() -> DivergedException.check(0, 3, 2.5f, new float[] {1, -2, 0}, "hint"))
        .doesNotThrowAnyException();
  }

  @Test
  void aNanLossNamesTheWorkerAndIteration() {
    assertThatThrownBy(() -> DivergedException.check(1, 7, Float.NaN, new float[] {1}, "lower it"))
        .isInstanceOf(DivergedException.class)
        .hasMessage("worker 1's loss at iteration 7 is NaN; lower it");
  }

  @Test
  void anInfiniteGradientValueIsFoundWhereverItIs() {
    float[] g = new float[1000];
    g[998] = Float.NEGATIVE_INFINITY;
    assertThatThrownBy(() -> DivergedException.check(0, 2, 3.0f, g, "lower it"))
        .hasMessage(
            "worker 0's gradient at iteration 2 has -Infinity at index 998 (loss 3.0); lower it");
  }
}
