package dev.weft.cli.graph;

import dev.weft.accel.graph.CfConfig;
import dev.weft.accel.graph.CfResult;
import dev.weft.accel.graph.Checksums;
import dev.weft.accel.graph.GraphKernel;
import dev.weft.accel.graph.PageRankConfig;
import dev.weft.accel.graph.PageRankResult;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The six algorithms of {@code weft graph}, each a thin {@link GraphRun}. */
final class GraphVerbs {

  private GraphVerbs() {}

  @Command(
      name = "pagerank",
      mixinStandardHelpOptions = true,
      description = "PageRank, x' = (1-d)/N + d * sum(x[s]/outdeg(s)), until the L1 change < tol.")
  static final class PageRank extends GraphRun {
    @Option(names = "--damping", defaultValue = "0.85", description = "d (default: 0.85).")
    double damping;

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "L1 tolerance (GAP's).")
    double tolerance;

    @Option(names = "--max-iterations", defaultValue = "20", description = "(default: 20).")
    int maxIterations;

    @Override
    Outcome runOnce(GraphKernel k, int users) {
      PageRankResult r = k.pageRank(new PageRankConfig(damping, tolerance, maxIterations));
      int top = 0;
      for (int v = 1; v < r.ranks().length; v++) {
        if (r.ranks()[v] > r.ranks()[top]) {
          top = v;
        }
      }
      return new Outcome(
          String.format(
              Locale.ROOT,
              "pagerank: %d iterations, last L1 change %.3e; top vertex %d (rank %.6e)",
              r.iterations(),
              r.lastChange(),
              top,
              r.ranks().length == 0 ? 0 : r.ranks()[top]),
          Checksums.pageRank(r));
    }
  }

  @Command(
      name = "spmv",
      mixinStandardHelpOptions = true,
      description = "y = A^T x with x[v] = 1 + (v mod 7)/8, over the weighted adjacency matrix.")
  static final class Spmv extends GraphRun {
    @Override
    Outcome runOnce(GraphKernel k, int users) {
      double[] x = new double[k.graph().numVertices()];
      for (int v = 0; v < x.length; v++) {
        x[v] = 1 + (v % 7) / 8.0;
      }
      double[] y = k.spmv(x);
      double max = 0;
      for (double v : y) {
        max = Math.max(max, Math.abs(v));
      }
      return new Outcome(
          String.format(Locale.ROOT, "spmv: %d outputs, max |y| %.6e", y.length, max),
          Checksums.spmv(y));
    }
  }

  @Command(name = "bfs", mixinStandardHelpOptions = true, description = "Hop depths from --source.")
  static final class Bfs extends GraphRun {
    @Option(names = "--source", description = "Start vertex (default: first with an out-edge).")
    Integer source;

    @Override
    Outcome runOnce(GraphKernel k, int users) {
      int s = source != null ? source : defaultSource(k.graph());
      String sum = Checksums.bfs(k.bfs(s));
      return new Outcome("bfs: source " + s + ", " + sum.substring(4), sum);
    }
  }

  @Command(
      name = "sssp",
      mixinStandardHelpOptions = true,
      description = "Shortest-path distances from --source; weights must be >= 0.")
  static final class Sssp extends GraphRun {
    @Option(names = "--source", description = "Start vertex (default: first with an out-edge).")
    Integer source;

    @Override
    Outcome runOnce(GraphKernel k, int users) {
      int s = source != null ? source : defaultSource(k.graph());
      String sum = Checksums.sssp(k.sssp(s));
      return new Outcome("sssp: source " + s + ", " + sum.substring(5), sum);
    }
  }

  @Command(
      name = "cc",
      mixinStandardHelpOptions = true,
      description = "Connected components (weak, for directed graphs) by min-label propagation.")
  static final class Cc extends GraphRun {
    @Override
    Outcome runOnce(GraphKernel k, int users) {
      String sum = Checksums.components(k.components());
      return new Outcome("cc: " + sum.substring(3), sum);
    }
  }

  @Command(
      name = "cf",
      mixinStandardHelpOptions = true,
      description = "Collaborative filtering: matrix factorisation of a user->item ratings graph.")
  static final class Cf extends GraphRun {
    @Option(names = "--rank", defaultValue = "8", description = "Latent factors (default: 8).")
    int rank;

    @Option(names = "--iterations", defaultValue = "50", description = "(default: 50).")
    int iterations;

    @Option(names = "--learning-rate", defaultValue = "0.5", description = "(default: 0.5).")
    double learningRate;

    @Option(names = "--lambda", defaultValue = "0.001", description = "L2 penalty.")
    double lambda;

    @Override
    boolean needsUsers() {
      return true;
    }

    @Override
    Outcome runOnce(GraphKernel k, int users) {
      CfResult r =
          k.collaborativeFiltering(
              users, new CfConfig(rank, iterations, learningRate, lambda, input.seed));
      return new Outcome(
          String.format(
              Locale.ROOT,
              "cf: %d users, %d items, rank %d; training RMSE %.4f -> %.4f",
              users,
              k.graph().numVertices() - users,
              rank,
              r.initialRmse(),
              r.finalRmse()),
          Checksums.cf(r));
    }
  }
}
