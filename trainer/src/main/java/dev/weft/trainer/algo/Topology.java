package dev.weft.trainer.algo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;

/**
 * Hop's communication graph over workers {@code 0 .. n-1}: undirected, connected, no self-loops.
 * Neighbour lists are sorted so every worker derives the same graph from the same seed.
 */
public final class Topology {

  /** The graph families of {@code --topology}. */
  public enum Kind {
    RING,
    TORUS,
    RANDOM_REGULAR,
    COMPLETE;

    public static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.cliName().equals(s.toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown --topology '" + s + "' (choose ring, torus, random-regular or complete)");
    }

    public String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final int[][] neighbours;

  private Topology(int[][] neighbours) {
    this.neighbours = neighbours;
  }

  /** Builds the graph; {@code degree} and {@code seed} matter only for random-regular. */
  public static Topology of(Kind kind, int n, int degree, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("a topology needs at least one worker");
    }
    List<TreeSet<Integer>> adj = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      adj.add(new TreeSet<>());
    }
    switch (kind) {
      case RING -> {
        for (int i = 0; i < n; i++) {
          link(adj, i, (i + 1) % n);
        }
      }
      case COMPLETE -> {
        for (int i = 0; i < n; i++) {
          for (int j = i + 1; j < n; j++) {
            link(adj, i, j);
          }
        }
      }
      case TORUS -> {
        // The most square rows x cols grid with wrap-around; a prime n degenerates to a ring.
        int rows = 1;
        for (int r = 1; r * r <= n; r++) {
          if (n % r == 0) {
            rows = r;
          }
        }
        int cols = n / rows;
        for (int i = 0; i < n; i++) {
          int r = i / cols;
          int c = i % cols;
          link(adj, i, r * cols + (c + 1) % cols);
          link(adj, i, ((r + 1) % rows) * cols + c);
        }
      }
      case RANDOM_REGULAR -> randomRegular(adj, n, degree, seed);
    }
    int[][] nb = new int[n][];
    for (int i = 0; i < n; i++) {
      nb[i] = adj.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return new Topology(nb);
  }

  private static void link(List<TreeSet<Integer>> adj, int a, int b) {
    if (a != b) {
      adj.get(a).add(b);
      adj.get(b).add(a);
    }
  }

  /** Pairing model: shuffle n*d stubs, pair them, retry until simple and connected. */
  private static void randomRegular(List<TreeSet<Integer>> adj, int n, int d, long seed) {
    if (n == 1) {
      return;
    }
    if (d >= n || (n * d) % 2 != 0) {
      throw new IllegalArgumentException(
          "no "
              + d
              + "-regular graph on "
              + n
              + " workers (need --hop-degree < workers and workers x degree even)");
    }
    Random rnd = new Random(seed);
    int[] stubs = new int[n * d];
    for (int attempt = 0; attempt < 10_000; attempt++) {
      for (int i = 0; i < stubs.length; i++) {
        stubs[i] = i / d;
      }
      for (int i = stubs.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = stubs[i];
        stubs[i] = stubs[j];
        stubs[j] = t;
      }
      adj.forEach(TreeSet::clear);
      boolean simple = true;
      for (int i = 0; i < stubs.length && simple; i += 2) {
        int a = stubs[i];
        int b = stubs[i + 1];
        simple = a != b && adj.get(a).add(b);
        adj.get(b).add(a);
      }
      if (simple && connected(adj)) {
        return;
      }
    }
    throw new IllegalArgumentException(
        "could not draw a connected " + d + "-regular graph on " + n + " workers");
  }

  private static boolean connected(List<TreeSet<Integer>> adj) {
    boolean[] seen = new boolean[adj.size()];
    int[] stack = new int[adj.size()];
    int top = 0;
    stack[top++] = 0;
    seen[0] = true;
    int count = 1;
    while (top > 0) {
      for (int v : adj.get(stack[--top])) {
        if (!seen[v]) {
          seen[v] = true;
          count++;
          stack[top++] = v;
        }
      }
    }
    return count == adj.size();
  }

  public int size() {
    return neighbours.length;
  }

  /** The neighbours of {@code rank}, ascending. */
  public int[] neighbours(int rank) {
    return neighbours[rank].clone();
  }

  /** Hop count between two workers (breadth-first search). */
  public int distance(int from, int to) {
    int[] dist = new int[size()];
    Arrays.fill(dist, -1);
    int[] queue = new int[size()];
    int head = 0;
    int tail = 0;
    queue[tail++] = from;
    dist[from] = 0;
    while (head < tail) {
      int v = queue[head++];
      for (int w : neighbours[v]) {
        if (dist[w] < 0) {
          dist[w] = dist[v] + 1;
          queue[tail++] = w;
        }
      }
    }
    return dist[to];
  }
}
