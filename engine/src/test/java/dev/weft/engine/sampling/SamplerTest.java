package dev.weft.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scheduler.SamplingParams;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

  private static final int[] NONE = new int[0];

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
    assertThat(
            Sampler.sample(new float[] {0.5f, 3f, 3f, -1f}, SamplingParams.greedy(10), NONE, NONE))
        .isEqualTo(1);
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
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = Sampler.sample(randomLogits(i, 50), p, NONE, Arrays.copyOf(out, i));
    }
    return out;
  }

  /** Draws many times for the same output position by varying only the seed. */
  private static Set<Integer> drawMany(
      float[] logits, int n, java.util.function.LongFunction<SamplingParams> p) {
    Set<Integer> drawn = new HashSet<>();
    for (int i = 0; i < n; i++) {
      drawn.add(Sampler.sample(logits.clone(), p.apply(i), NONE, NONE));
    }
    return drawn;
  }

  @Test
  void theDrawDependsOnlyOnSeedAndOutputPosition() {
    SamplingParams p = params(1.0, 0, 1.0, 0, 1, 0, 99);
    float[] logits = randomLogits(3, 50);
    int[] history = {4, 5, 6};
    int a = Sampler.sample(logits.clone(), p, new int[] {1, 2}, history);
    // Another prompt, the same output length: the same random stream (no penalties here).
    int b = Sampler.sample(logits.clone(), p, new int[] {7}, new int[] {8, 9, 10});
    assertThat(a).isEqualTo(b);
  }

  @Test
  void topKOfOneIsGreedy() {
    for (int i = 0; i < 50; i++) {
      float[] logits = randomLogits(100 + i, 50);
      int expected = Sampler.argmax(logits.clone());
      assertThat(Sampler.sample(logits, params(1.5, 1, 1.0, 0, 1, 0, i), NONE, NONE))
          .isEqualTo(expected);
    }
  }

  @Test
  void topKDrawsOnlyFromTheKMostLikely() {
    float[] logits = {5f, 4f, 3f, 2f, 1f, 0f};
    assertThat(drawMany(logits, 300, seed -> params(10.0, 2, 1.0, 0, 1, 0, seed)))
        .containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void topPKeepsTheSmallestSetReachingP() {
    // Probabilities ~ 0.64, 0.24, 0.09, 0.03: top-p 0.8 keeps the first two.
    float[] logits = {3f, 2f, 1f, 0f};
    assertThat(drawMany(logits, 400, seed -> params(1.0, 0, 0.8, 0, 1, 0, seed)))
        .containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void minPDropsTokensFarBelowTheTop() {
    // p(0)=0.64; min-p 0.3 keeps tokens with p >= 0.19: ids 0 and 1.
    float[] logits = {3f, 2f, 1f, 0f};
    assertThat(drawMany(logits, 400, seed -> params(1.0, 0, 1.0, 0.3, 1, 0, seed)))
        .containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void repetitionPenaltyCoversThePromptAndSteersGreedyAway() {
    float[] logits = {2.0f, 1.5f, 0.1f};
    // 2.0 / 2 = 1.0 < 1.5: token 1 wins.
    assertThat(Sampler.sample(logits.clone(), params(0, 0, 1.0, 0, 2.0, 0, 0), new int[] {0}, NONE))
        .isEqualTo(1);
  }

  @Test
  void frequencyPenaltyGrowsWithEachRepeat() {
    SamplingParams p = params(0, 0, 1.0, 0, 1, 0.6, 0);
    float[] logits = {2.0f, 1.0f, 0.0f};
    assertThat(Sampler.sample(logits.clone(), p, NONE, NONE)).isEqualTo(0); // 2.0
    assertThat(Sampler.sample(logits.clone(), p, NONE, new int[] {0})).isEqualTo(0); // 1.4 > 1.0
    assertThat(Sampler.sample(logits.clone(), p, NONE, new int[] {0, 0})).isEqualTo(1); // 0.8
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
