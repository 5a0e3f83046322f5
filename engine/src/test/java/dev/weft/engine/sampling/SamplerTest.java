package dev.weft.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scheduler.SamplingParams;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

  private static SamplingParams params(
      double temperature, int topK, double topP, double minP, double rep, double freq, long seed) {
    return new SamplingParams(temperature, topK, topP, minP, rep, freq, seed, 100, Set.of());
  }

  private static float[] randomLogits(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] l = new float[n];
    for (int i = 0; i < n; i++) {
      l[i] = (float) (r.nextGaussian() * 2);
    }
    return l;
  }

  @Test
  void greedyPicksTheLargestLogitAndTheLowestIdOnTies() {
    Sampler s = new Sampler(SamplingParams.greedy(10), 4, new int[0]);
    assertThat(s.sample(new float[] {0.5f, 3f, 3f, -1f})).isEqualTo(1);
  }

  @Test
  void sameSeedSameTokensDifferentSeedDifferentTokens() {
    int[] a = draw(params(1.0, 0, 1.0, 0, 1, 0, 7), 200);
    int[] b = draw(params(1.0, 0, 1.0, 0, 1, 0, 7), 200);
    int[] c = draw(params(1.0, 0, 1.0, 0, 1, 0, 8), 200);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  private static int[] draw(SamplingParams p, int n) {
    Sampler s = new Sampler(p, 50, new int[0]);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = s.sample(randomLogits(i, 50));
    }
    return out;
  }

  @Test
  void topKOfOneIsGreedy() {
    Sampler s = new Sampler(params(1.5, 1, 1.0, 0, 1, 0, 3), 50, new int[0]);
    for (int i = 0; i < 50; i++) {
      float[] logits = randomLogits(100 + i, 50);
      int expected = Sampler.argmax(logits.clone());
      assertThat(s.sample(logits)).isEqualTo(expected);
    }
  }

  @Test
  void topKDrawsOnlyFromTheKMostLikely() {
    float[] logits = {5f, 4f, 3f, 2f, 1f, 0f};
    Sampler s = new Sampler(params(10.0, 2, 1.0, 0, 1, 0, 11), 6, new int[0]);
    Set<Integer> drawn = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      drawn.add(s.sample(logits.clone()));
    }
    assertThat(drawn).containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void topPKeepsTheSmallestSetReachingP() {
    // Probabilities ~ 0.64, 0.24, 0.09, 0.03: top-p 0.8 keeps the first two.
    float[] logits = {3f, 2f, 1f, 0f};
    Sampler s = new Sampler(params(1.0, 0, 0.8, 0, 1, 0, 5), 4, new int[0]);
    Set<Integer> drawn = new HashSet<>();
    for (int i = 0; i < 400; i++) {
      drawn.add(s.sample(logits.clone()));
    }
    assertThat(drawn).containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void minPDropsTokensFarBelowTheTop() {
    // p(0)=0.64; min-p 0.3 keeps tokens with p >= 0.19: ids 0 and 1.
    float[] logits = {3f, 2f, 1f, 0f};
    Sampler s = new Sampler(params(1.0, 0, 1.0, 0.3, 1, 0, 9), 4, new int[0]);
    Set<Integer> drawn = new HashSet<>();
    for (int i = 0; i < 400; i++) {
      drawn.add(s.sample(logits.clone()));
    }
    assertThat(drawn).containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void repetitionPenaltyCoversThePromptAndSteersGreedyAway() {
    float[] logits = {2.0f, 1.5f, 0.1f};
    Sampler s = new Sampler(params(0, 0, 1.0, 0, 2.0, 0, 0), 3, new int[] {0});
    // 2.0 / 2 = 1.0 < 1.5: token 1 wins.
    assertThat(s.sample(logits.clone())).isEqualTo(1);
  }

  @Test
  void frequencyPenaltyGrowsWithEachRepeat() {
    Sampler s = new Sampler(params(0, 0, 1.0, 0, 1, 0.6, 0), 3, new int[0]);
    float[] logits = {2.0f, 1.0f, 0.0f};
    assertThat(s.sample(logits.clone())).isEqualTo(0); // 2.0
    assertThat(s.sample(logits.clone())).isEqualTo(0); // 1.4 > 1.0
    assertThat(s.sample(logits.clone())).isEqualTo(1); // 0.8 < 1.0
  }

  @Test
  void invalidValuesAreRejectedWithTheirName() {
    assertThatThrownBy(() -> params(-0.5, 0, 1.0, 0, 1, 0, 0))
        .hasMessage("invalid temperature -0.5: must be >= 0");
    assertThatThrownBy(() -> params(1, -3, 1.0, 0, 1, 0, 0))
        .hasMessageContaining("invalid top-k -3");
    assertThatThrownBy(() -> params(1, 0, 1.5, 0, 1, 0, 0))
        .hasMessageContaining("invalid top-p 1.5: must be in (0, 1]");
    assertThatThrownBy(() -> params(1, 0, 0.0, 0, 1, 0, 0)).hasMessageContaining("top-p");
    assertThatThrownBy(() -> params(1, 0, 1.0, 1.0, 1, 0, 0)).hasMessageContaining("min-p");
    assertThatThrownBy(() -> params(1, 0, 1.0, 0, 0, 0, 0))
        .hasMessageContaining("repetition penalty");
    assertThatThrownBy(() -> params(Double.NaN, 0, 1.0, 0, 1, 0, 0))
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> SamplingParams.greedy(0)).hasMessageContaining("max tokens 0");
  }
}
