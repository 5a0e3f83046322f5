package dev.weft.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random weights of a given shape, for performance work: speed does not depend on the weights'
 * values. Matrices are uniform with standard deviation 0.02 (the usual initialisation scale), norms
 * are 1, so activations stay finite through any depth.
 */
public final class RandomWeights {

  private static final float STD = 0.02f;

  private RandomWeights() {}

  public static LlamaWeights generate(LlamaConfig config, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int d = config.dim();
    int kv = config.kvDim();
    int h = config.hiddenDim();
    float[] embedding = matrix(random, (long) config.vocabSize() * d);
    List<LlamaWeights.Layer> layers = new ArrayList<>();
    for (int l = 0; l < config.nLayers(); l++) {
      layers.add(
          new LlamaWeights.Layer(
              ones(d),
              matrix(random, (long) d * d),
              matrix(random, (long) kv * d),
              matrix(random, (long) kv * d),
              matrix(random, (long) d * d),
              ones(d),
              matrix(random, (long) h * d),
              matrix(random, (long) h * d),
              matrix(random, (long) h * d)));
    }
    float[] classifier =
        config.sharedClassifier() ? embedding : matrix(random, (long) config.vocabSize() * d);
    return new LlamaWeights(config, embedding, layers, ones(d), classifier);
  }

  private static float[] matrix(SplittableRandom random, long count) {
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensor of " + count + " values is too large");
    }
    float[] out = new float[(int) count];
    // Uniform on [-a, a] has standard deviation a / sqrt(3).
    float a = (float) (STD * Math.sqrt(3));
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) ((random.nextDouble() * 2 - 1) * a);
    }
    return out;
  }

  private static float[] ones(int n) {
    float[] out = new float[n];
    java.util.Arrays.fill(out, 1f);
    return out;
  }
}
