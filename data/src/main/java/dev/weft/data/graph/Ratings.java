package dev.weft.data.graph;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A bipartite ratings graph: rating k is user[k] → item[k] with value rating[k]. As a graph, users
 * are vertices 0..users−1 and items are users..users+items−1.
 */
public record Ratings(int numUsers, int numItems, int[] user, int[] item, float[] rating) {

  public Ratings {
    if (user.length != item.length || user.length != rating.length) {
      throw new IllegalArgumentException("user, item and rating must have equal length");
    }
    for (int k = 0; k < user.length; k++) {
      if (user[k] < 0 || user[k] >= numUsers || item[k] < 0 || item[k] >= numItems) {
        throw new IllegalArgumentException(
            "rating " + k + " (" + user[k] + ", " + item[k] + ") is outside the id range");
      }
    }
  }

  public int size() {
    return user.length;
  }

  /** The ratings as a directed weighted graph, user u → vertex numUsers + item. */
  public EdgeList toEdgeList() {
    int[] s = user.clone();
    int[] d = new int[item.length];
    for (int k = 0; k < d.length; k++) {
      d[k] = numUsers + item[k];
    }
    return new EdgeList(numUsers + numItems, true, s, d, rating.clone());
  }

  /** Reads a graph back as ratings: every edge must go from a user to an item. */
  public static Ratings fromEdgeList(EdgeList edges, int numUsers) {
    int numItems = edges.numVertices() - numUsers;
    int[] items = new int[edges.numEdges()];
    for (int e = 0; e < items.length; e++) {
      if (edges.src()[e] >= numUsers || edges.dst()[e] < numUsers) {
        throw new IllegalArgumentException(
            "edge " + e + " is not user→item for " + numUsers + " users");
      }
      items[e] = edges.dst()[e] - numUsers;
    }
    float[] r = new float[items.length];
    for (int e = 0; e < r.length; e++) {
      r[e] = edges.weight(e);
    }
    return new Ratings(numUsers, numItems, edges.src().clone(), items, r);
  }

  public static Ratings generate(RatingsConfig cfg) {
    SplittableRandom rng = new SplittableRandom(cfg.seed());
    double[][] u = factors(cfg.users(), cfg.rank(), rng);
    double[][] v = factors(cfg.items(), cfg.rank(), rng);
    int total = cfg.users() * cfg.ratingsPerUser();
    int[] users = new int[total];
    int[] items = new int[total];
    float[] values = new float[total];
    int k = 0;
    Set<Integer> chosen = new HashSet<>();
    for (int a = 0; a < cfg.users(); a++) {
      chosen.clear();
      while (chosen.size() < cfg.ratingsPerUser()) {
        int i = rng.nextInt(cfg.items());
        if (!chosen.add(i)) {
          continue;
        }
        double dot = 0;
        for (int r = 0; r < cfg.rank(); r++) {
          dot += u[a][r] * v[i][r];
        }
        double value = 1 + 4 * dot / cfg.rank() + cfg.noise() * gaussian(rng);
        users[k] = a;
        items[k] = i;
        values[k] = (float) Math.max(1, Math.min(5, value));
        k++;
      }
    }
    return new Ratings(cfg.users(), cfg.items(), users, items, values);
  }

  private static double[][] factors(int count, int rank, SplittableRandom rng) {
    double[][] f = new double[count][rank];
    for (double[] row : f) {
      for (int r = 0; r < rank; r++) {
        row[r] = rng.nextDouble();
      }
    }
    return f;
  }

  private static double gaussian(SplittableRandom rng) {
    // Box–Muller; SplittableRandom has no nextGaussian in Java 17.
    double u1 = 1 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
