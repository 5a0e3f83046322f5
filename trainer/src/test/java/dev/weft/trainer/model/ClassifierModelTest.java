package dev.weft.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassifierModelTest {

  static float[] randomImages(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 28 * 28];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  @Test
  void sameSeedSameParametersAndLossDecreasesWithSgd() {
    try (ClassifierModel a = new ClassifierModel(ModelKind.MLP, 28, 28, 10, 7);
        ClassifierModel b = new ClassifierModel(ModelKind.MLP, 28, 28, 10, 7)) {
      assertThat(a.initialParameters(7)).isEqualTo(b.initialParameters(7));
      assertThat(a.size()).isEqualTo(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
      float[] x = randomImages(16, 1);
      int[] y = new int[16];
      for (int i = 0; i < 16; i++) {
        y[i] = i % 10;
      }
      float[] w = a.initialParameters(7);
      float[] g = new float[a.size()];
      float first = a.lossAndGradient(w, x, y, g);
      float last = first;
      for (int step = 0; step < 30; step++) {
        last = a.lossAndGradient(w, x, y, g);
        for (int i = 0; i < w.length; i++) {
          w[i] -= 0.05f * g[i];
        }
      }
      assertThat(last).isLessThan(first * 0.5f);
      assertThat(a.accuracy(w, x, y)).isGreaterThan(0.9);
    }
  }

  @Test
  void gradientOfConcatenatedBatchIsMeanOfPartGradients() {
    for (ModelKind kind : ModelKind.values()) {
      try (ClassifierModel m = new ClassifierModel(kind, 28, 28, 10, 3)) {
        float[] w = m.initialParameters(3);
        float[] x = randomImages(8, 2);
        int[] y = {0, 1, 2, 3, 4, 5, 6, 7};
        float[] full = new float[m.size()];
        m.lossAndGradient(w, x, y, full);
        float[] g1 = new float[m.size()];
        float[] g2 = new float[m.size()];
        float[] x1 = new float[4 * 784];
        float[] x2 = new float[4 * 784];
        System.arraycopy(x, 0, x1, 0, x1.length);
        System.arraycopy(x, x1.length, x2, 0, x2.length);
        m.lossAndGradient(w, x1, new int[] {0, 1, 2, 3}, g1);
        m.lossAndGradient(w, x2, new int[] {4, 5, 6, 7}, g2);
        for (int i = 0; i < full.length; i++) {
          assertThat((g1[i] + g2[i]) / 2)
              .isCloseTo(full[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
    }
  }

  @Test
  void repeatedGradientsAreIdenticalAndLeaveNoArraysBehind() {
    try (ClassifierModel m = new ClassifierModel(ModelKind.CNN, 28, 28, 10, 5)) {
      float[] w = m.initialParameters(5);
      float[] x = randomImages(4, 3);
      int[] y = {1, 2, 3, 4};
      float[] first = new float[m.size()];
      m.lossAndGradient(w, x, y, first);
      int arrays = engineArrays();
      float[] g = new float[m.size()];
      for (int i = 0; i < 20; i++) {
        m.lossAndGradient(w, x, y, g);
      }
      // Zeroed between calls (no accumulation), and no gradient handles pile up in the engine.
      assertThat(g).isEqualTo(first);
      assertThat(engineArrays()).isEqualTo(arrays);
    }
  }

  /** Arrays alive in the whole engine (the system manager is the parent of every base manager). */
  private static int engineArrays() {
    try (NDManager m = NDManager.newBaseManager()) {
      return m.getParentManager().getManagedArrays().size();
    }
  }
}
