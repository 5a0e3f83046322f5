package dev.weft.trainer.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DivergedExceptionTest {

  @Test
  void finiteValuesPass() {
    assertThatCode(() -> DivergedException.check(0, 3, "loss", 2.5, "hint"))
        .doesNotThrowAnyException();
  }

  @Test
  void aNanLossNamesTheWorkerTheIterationAndWhatToChange() {
    assertThatThrownBy(() -> DivergedException.check(1, 7, "loss", Float.NaN, "lower it"))
        .isInstanceOf(DivergedException.class)
        .hasMessage("worker 1's loss at iteration 7 is NaN; training diverged: lower it");
  }

  @Test
  void anInfiniteGradientNormIsCaughtBeforeClippingScalesItToNan() {
    float[] g = {1, Float.POSITIVE_INFINITY, 2};
    double norm = LanguageModelLoop.clip(g, 1.0);
    assertThatThrownBy(() -> DivergedException.check(0, 2, "gradient norm", norm, "lower it"))
        .hasMessage(
            "worker 0's gradient norm at iteration 2 is Infinity; training diverged: lower it");
  }

  @Test
  void clipReturnsTheNormBeforeClipping() {
    float[] g = {3, 4};
    assertThat(LanguageModelLoop.clip(g, 1.0)).isEqualTo(5.0);
    assertThat(g).containsExactly(0.6f, 0.8f);
    assertThat(LanguageModelLoop.clip(new float[] {3, 4}, 0)).isZero();
  }
}
