package dev.weft.engine.sampling;

import dev.weft.scheduler.SamplingParams;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses a request's next token from logits. Stateless: the draw for a request's n-th output token
 * uses a random stream derived from the request's seed and n alone, and the penalties are computed
 * from its prompt and output, so a request gets the same tokens whatever runs beside it in a batch
 * and however often it is preempted and recomputed.
 *
 * <p>Order of operations, as in vLLM: penalties on the raw logits, temperature, then min-p, top-k
 * and top-p filters on the probabilities, then a draw. Temperature 0 is greedy (argmax, ties to the
 * lowest id) after penalties.
 */
public final class Sampler {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private Sampler() {}

  /**
   * Picks the token that follows {@code output}. {@code logits} is modified.
   *
   * @param prompt the request's prompt (the repetition penalty covers it)
   * @param output the tokens generated so far
   */
  public static int sample(float[] logits, SamplingParams params, int[] prompt, int[] output) {
    applyPenalties(logits, params, prompt, output);
    if (params.isGreedy()) {
      return argmax(logits);
    }
    SplittableRandom random =
        new SplittableRandom(params.seed() ^ (GOLDEN_GAMMA * (output.length + 1L)));
    return draw(logits, params, random);
  }

  private static void applyPenalties(
      float[] logits, SamplingParams params, int[] prompt, int[] output) {
    double rep = params.repetitionPenalty();
    if (rep != 1.0) {
      boolean[] seen = new boolean[logits.length];
      markSeen(seen, prompt);
      markSeen(seen, output);
      for (int i = 0; i < logits.length; i++) {
        if (seen[i]) {
          logits[i] = (float) (logits[i] > 0 ? logits[i] / rep : logits[i] * rep);
        }
      }
    }
    double freq = params.frequencyPenalty();
    if (freq != 0.0) {
      for (int t : output) {
        if (t >= 0 && t < logits.length) {
          logits[t] -= (float) freq;
        }
      }
    }
  }

  private static void markSeen(boolean[] seen, int[] tokens) {
    for (int t : tokens) {
      if (t >= 0 && t < seen.length) {
        seen[t] = true;
      }
    }
  }

  static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int draw(float[] logits, SamplingParams params, SplittableRandom random) {
    double[] probs = softmax(logits, params.temperature());
    Integer[] order = null;
    if (params.minP() > 0) {
      double max = Arrays.stream(probs).max().orElse(0);
      double floor = params.minP() * max;
      for (int i = 0; i < probs.length; i++) {
        if (probs[i] < floor) {
          probs[i] = 0;
        }
      }
    }
    if (params.topK() > 0 && params.topK() < probs.length) {
      order = byDescendingProbability(probs);
      for (int r = params.topK(); r < order.length; r++) {
        probs[order[r]] = 0;
      }
    }
    if (params.topP() < 1.0) {
      if (order == null) {
        order = byDescendingProbability(probs);
      }
      double total = Arrays.stream(probs).sum();
      double cumulative = 0;
      int r = 0;
      // Keep tokens until the kept mass reaches top-p; the token that crosses it stays.
      for (; r < order.length; r++) {
        cumulative += probs[order[r]] / total;
        if (cumulative >= params.topP()) {
          r++;
          break;
        }
      }
      for (; r < order.length; r++) {
        probs[order[r]] = 0;
      }
    }
    double total = Arrays.stream(probs).sum();
    double u = random.nextDouble() * total;
    double acc = 0;
    int last = 0;
    for (int i = 0; i < probs.length; i++) {
      if (probs[i] > 0) {
        acc += probs[i];
        last = i;
        if (u < acc) {
          return i;
        }
      }
    }
    return last;
  }

  private static double[] softmax(float[] logits, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      p[i] = Math.exp((logits[i] - max) / temperature);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  private static Integer[] byDescendingProbability(double[] probs) {
    Integer[] order = new Integer[probs.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Stable sort: equal probabilities keep id order, so draws are reproducible.
    Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
    return order;
  }
}
