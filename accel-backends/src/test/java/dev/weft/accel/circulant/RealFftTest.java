package dev.weft.accel.circulant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RealFftTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 6, 8, 12, 64, 100, 128})
  void forwardIsTheDftAndInverseUndoesIt(int k) {
    RealFft fft = new RealFft(k);
    float[] x = CirculantTesting.random(k, k);
    float[] re = new float[fft.bins];
    float[] im = new float[fft.bins];
    float[] sr = new float[k];
    float[] si = new float[k];
    fft.forward(x, 0, k, re, im, 0, sr, si);
    for (int f = 0; f < fft.bins; f++) {
      double ar = 0;
      double ai = 0;
      for (int t = 0; t < k; t++) {
        ar += x[t] * Math.cos(2 * Math.PI * f * t / k);
        ai -= x[t] * Math.sin(2 * Math.PI * f * t / k);
      }
      assertThat((double) re[f]).isCloseTo(ar, within(1e-4));
      assertThat((double) im[f]).isCloseTo(ai, within(1e-4));
    }
    float[] back = new float[k];
    fft.inverse(re, im, 0, back, 0, k, sr, si);
    for (int t = 0; t < k; t++) {
      assertThat(back[t]).isCloseTo(x[t], within(1e-5f));
    }
  }
}
