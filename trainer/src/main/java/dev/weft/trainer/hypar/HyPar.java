package dev.weft.trainer.hypar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * HyPar's search (Song et al., HPCA 2019): Algorithm 1, a dynamic program linear in the number of
 * layers that partitions a network between two groups, and Algorithm 2, which applies it level by
 * level down the hierarchy, each level on the tensors the levels above have already halved. Also
 * the baselines the paper compares with.
 */
public final class HyPar {

  private HyPar() {}

  /** Result of Algorithm 1: the choices and the level's communication. */
  public record TwoWay(List<Choice> choices, double elements) {}

  /**
   * Algorithm 1. {@code com_c[l]} is the least communication of layers 0..l with layer l chosen c;
   * each step adds the inter-layer cost from the previous choice and the layer's intra-layer cost;
   * backtracking recovers the choices. Ties go to data parallelism.
   */
  public static TwoWay twoWay(List<Part> parts) {
    int n = parts.size();
    double[][] com = new double[n][2];
    int[][] from = new int[n][2];
    Choice[] cs = Choice.values();
    for (Choice c : cs) {
      com[0][c.bit()] = CommModel.intra(parts.get(0), c);
    }
    for (int l = 1; l < n; l++) {
      for (Choice c : cs) {
        double best = Double.POSITIVE_INFINITY;
        int arg = 0;
        for (Choice p : cs) {
          double v = com[l - 1][p.bit()] + CommModel.inter(p, c, parts.get(l));
          if (v < best) {
            best = v;
            arg = p.bit();
          }
        }
        com[l][c.bit()] = best + CommModel.intra(parts.get(l), c);
        from[l][c.bit()] = arg;
      }
    }
    int last = com[n - 1][1] < com[n - 1][0] ? 1 : 0;
    double total = com[n - 1][last];
    Choice[] out = new Choice[n];
    for (int l = n - 1; l >= 0; l--) {
      out[l] = cs[last];
      last = from[l][last];
    }
    return new TwoWay(List.of(out), total);
  }

  /** Number of hierarchy levels for an accelerator count: log2, which must be exact. */
  public static int levels(int accelerators) {
    if (accelerators < 2 || Integer.bitCount(accelerators) != 1) {
      throw new IllegalArgumentException(
          "accelerator count "
              + accelerators
              + " is not a power of two of at least 2 (HyPar halves the array at every level:"
              + " 2, 4, 8, 16, ...)");
    }
    return Integer.numberOfTrailingZeros(accelerators);
  }

  /** Every layer's sizes for the whole array, before any partitioning. */
  public static List<Part> parts(Network net) {
    List<Part> out = new ArrayList<>();
    for (Layer l : net.layers()) {
      out.add(Part.of(l, net.batch()));
    }
    return out;
  }

  private static List<Part> split(List<Part> parts, List<Choice> choices) {
    List<Part> next = new ArrayList<>();
    for (int l = 0; l < parts.size(); l++) {
      next.add(parts.get(l).split(choices.get(l)));
    }
    return next;
  }

  /** Algorithm 2: Algorithm 1 at H1, halve every tensor by its choice, recurse for H2..H_depth. */
  public static Plan plan(Network net, int depth) {
    List<Part> parts = parts(net);
    List<List<Choice>> levels = new ArrayList<>();
    List<Double> costs = new ArrayList<>();
    for (int h = 0; h < depth; h++) {
      TwoWay t = twoWay(parts);
      levels.add(t.choices());
      costs.add(t.elements());
      parts = split(parts, t.choices());
    }
    return new Plan("hypar", levels, costs);
  }

  /** The model's communication for given choices at every level. */
  public static Plan evaluate(String strategy, Network net, List<List<Choice>> levels) {
    List<Part> parts = parts(net);
    List<Double> costs = new ArrayList<>();
    for (List<Choice> cs : levels) {
      costs.add(CommModel.level(parts, cs));
      parts = split(parts, cs);
    }
    return new Plan(strategy, levels, costs);
  }

  /** Data parallelism everywhere. */
  public static Plan allDp(Network net, int depth) {
    return uniform("dp", net, depth, Collections.nCopies(net.size(), Choice.DP));
  }

  /** Model parallelism everywhere. */
  public static Plan allMp(Network net, int depth) {
    return uniform("mp", net, depth, Collections.nCopies(net.size(), Choice.MP));
  }

  /** Krizhevsky's "one weird trick": convolutions data parallel, fully connected model parallel. */
  public static Plan convDpFcMp(Network net, int depth) {
    List<Choice> cs =
        net.layers().stream()
            .map(l -> l.kind() == Layer.Kind.CONV ? Choice.DP : Choice.MP)
            .toList();
    return uniform("conv-dp/fc-mp", net, depth, cs);
  }

  private static Plan uniform(String name, Network net, int depth, List<Choice> cs) {
    return evaluate(name, net, Collections.nCopies(depth, cs));
  }
}
