package dev.weft.engine.sampling;

import dev.weft.scheduler.SamplingParams;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses one request's next tokens from logits. Holds that request's own random stream (seeded
 * from its {@link SamplingParams#seed()}) and the token counts the penalties need, so the same
 * request gives the same tokens whatever else runs beside it.
 *
 * <p>Order of operations, as in vLLM: penalties on the raw logits, temperature, then min-p, top-k
 * and top-p filters on the probabilities, then a draw. Temperature 0 is greedy (argmax, ties to the
 * lowest id) after penalties.
 */
public final class Sampler {

  private final SamplingParams params;
  private final SplittableRandom random;
  private final Map<Integer, Integer> generatedCounts = new HashMap<>();
  private final boolean[] seen;

  /**
   * @param vocabSize size of the logits vectors this sampler will see
   * @param prompt the request's prompt tokens (the repetition penalty covers them too)
   */
  public Sampler(SamplingParams params, int vocabSize, int[] prompt) {
    this.params = params;
    this.random = new SplittableRandom(params.seed());
    this.seen = new boolean[vocabSize];
    for (int t : prompt) {
      if (t >= 0 && t < vocabSize) {
        seen[t] = true;
      }
    }
  }

  /** Picks the next token and records it as generated. {@code logits} is modified. */
  public int sample(float[] logits) {
    applyPenalties(logits);
    int token = params.isGreedy() ? argmax(logits) : draw(logits);
    generatedCounts.merge(token, 1, Integer::sum);
    if (token < seen.length) {
      seen[token] = true;
    }
    return token;
  }

  private void applyPenalties(float[] logits) {
    double rep = params.repetitionPenalty();
    if (rep != 1.0) {
      for (int i = 0; i < logits.length; i++) {
        if (seen[i]) {
          logits[i] = (float) (logits[i] > 0 ? logits[i] / rep : logits[i] * rep);
        }
      }
    }
    double freq = params.frequencyPenalty();
    if (freq != 0.0) {
      for (Map.Entry<Integer, Integer> e : generatedCounts.entrySet()) {
        logits[e.getKey()] -= (float) (freq * e.getValue());
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

  private int draw(float[] logits) {
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
