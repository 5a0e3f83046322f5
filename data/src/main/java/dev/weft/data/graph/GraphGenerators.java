package dev.weft.data.graph;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Seeded synthetic graphs. Edges are generated in fixed-size chunks, each with its own random
 * stream derived from (seed, chunk), so the result is the same whatever the thread count.
 */
public final class GraphGenerators {

  private static final int CHUNK = 1 << 16;

  private GraphGenerators() {}

  public static EdgeList kronecker(KroneckerConfig cfg) {
    int n = 1 << cfg.scale();
    int m = cfg.edgeFactor() << cfg.scale();
    int[] src = new int[m];
    int[] dst = new int[m];
    double ab = cfg.a() + cfg.b();
    double abc = ab + cfg.c();
    chunks(m)
        .forEach(
            chunk -> {
              SplittableRandom rng = stream(cfg.seed(), chunk);
              int end = Math.min(m, (chunk + 1) * CHUNK);
              for (int e = chunk * CHUNK; e < end; e++) {
                int s = 0;
                int d = 0;
                for (int level = 0; level < cfg.scale(); level++) {
                  double r = rng.nextDouble();
                  s <<= 1;
                  d <<= 1;
                  if (r < cfg.a()) {
                    continue;
                  } else if (r < ab) {
                    d |= 1;
                  } else if (r < abc) {
                    s |= 1;
                  } else {
                    s |= 1;
                    d |= 1;
                  }
                }
                src[e] = s;
                dst[e] = d;
              }
            });
    // Permute ids so that vertex id carries no degree information (Graph500 does the same).
    int[] perm = permutation(n, new SplittableRandom(cfg.seed() ^ 0x5DEECE66DL));
    IntStream.range(0, m)
        .parallel()
        .forEach(
            e -> {
              src[e] = perm[src[e]];
              dst[e] = perm[dst[e]];
            });
    return new EdgeList(n, cfg.directed(), src, dst, null);
  }

  public static EdgeList uniform(UniformConfig cfg) {
    int n = 1 << cfg.scale();
    int m = cfg.edgeFactor() << cfg.scale();
    int[] src = new int[m];
    int[] dst = new int[m];
    chunks(m)
        .forEach(
            chunk -> {
              SplittableRandom rng = stream(cfg.seed(), chunk);
              int end = Math.min(m, (chunk + 1) * CHUNK);
              for (int e = chunk * CHUNK; e < end; e++) {
                src[e] = rng.nextInt(n);
                dst[e] = rng.nextInt(n);
              }
            });
    return new EdgeList(n, cfg.directed(), src, dst, null);
  }

  /**
   * Integer weights uniform in [min, max] for every edge, as GAP adds to generated graphs for SSSP
   * (it uses [1, 255]). Integers keep path sums exact, so every backend's distances agree.
   */
  public static EdgeList withRandomWeights(EdgeList edges, int min, int max, long seed) {
    if (min > max) {
      throw new IllegalArgumentException("min > max: " + min + " > " + max);
    }
    int m = edges.numEdges();
    float[] w = new float[m];
    int span = max - min + 1;
    chunks(m)
        .forEach(
            chunk -> {
              SplittableRandom rng = stream(seed ^ 0x9E3779B97F4A7C15L, chunk);
              int end = Math.min(m, (chunk + 1) * CHUNK);
              for (int e = chunk * CHUNK; e < end; e++) {
                w[e] = min + rng.nextInt(span);
              }
            });
    return edges.withWeights(w);
  }

  static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static IntStream chunks(int m) {
    return IntStream.range(0, (m + CHUNK - 1) / CHUNK).parallel();
  }

  private static SplittableRandom stream(long seed, int chunk) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + chunk * 0xBF58476D1CE4E5B9L + 1);
  }
}
