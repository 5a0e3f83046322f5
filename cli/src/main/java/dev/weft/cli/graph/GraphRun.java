package dev.weft.cli.graph;

import dev.weft.accel.graph.BackendOptions;
import dev.weft.accel.graph.CrossbarModel;
import dev.weft.accel.graph.CrossbarParams;
import dev.weft.accel.graph.GraphBackend;
import dev.weft.accel.graph.GraphBackends;
import dev.weft.accel.graph.GraphKernel;
import dev.weft.accel.graph.TileCounters;
import dev.weft.accel.graph.TilesBackend;
import dev.weft.data.graph.Graph;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The shape every {@code weft graph} verb shares: read the graph, prepare the backend, run the
 * algorithm {@code --trials} times, print a summary, the time, the checksum and (for the tiles
 * backend, or with {@code --crossbar}) the ReRAM crossbar model's estimate.
 */
abstract class GraphRun implements Callable<Integer> {

  /** What one run produced: a one-line summary and the cross-backend checksum. */
  record Outcome(String summary, String checksum) {}

  @Spec CommandSpec spec;

  @Mixin GraphInput input = new GraphInput();

  @Option(
      names = "--backend",
      defaultValue = "java",
      description = "reference | java | tiles | pytorch (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--threads", description = "Threads for the java backend (default: all cores).")
  Integer threads;

  @Option(
      names = "--tile-size",
      defaultValue = "8",
      description = "Crossbar size C of the tiles backend (default: ${DEFAULT-VALUE}, GraphR's).")
  int tileSize;

  @Option(
      names = "--trials",
      defaultValue = "1",
      description = "Runs of the algorithm; the time line shows the best and the mean.")
  int trials;

  @Option(
      names = "--warmup",
      defaultValue = "0",
      description =
          "Untimed runs before the trials, so the JIT has compiled the kernel (default: "
              + "${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--crossbar",
      description =
          "Also stream the graph through the tiles backend (untimed) and print the "
              + "ReRAM crossbar model's estimate next to this backend's measured time.")
  boolean crossbar;

  /** Runs the algorithm once on a prepared kernel. */
  abstract Outcome runOnce(GraphKernel kernel, int numUsers);

  /** Whether this verb needs the ratings layout (cf). */
  boolean needsUsers() {
    return false;
  }

  @Override
  public Integer call() {
    if (trials < 1) {
      throw new IllegalArgumentException("--trials must be >= 1: " + trials);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must be >= 0: " + warmup);
    }
    PrintWriter out = spec.commandLine().getOut();
    GraphBackend b = GraphBackends.byName(backend);
    int users = needsUsers() ? input.numUsers() : -1;
    long t0 = System.nanoTime();
    Graph g = Graph.from(input.load());
    double loadS = seconds(t0);
    out.printf(
        Locale.ROOT,
        "graph: %s: %d vertices, %d stored edges, %s%s; built in %.3f s%n",
        input.spec(),
        g.numVertices(),
        g.numEdges(),
        g.directed() ? "directed" : "undirected",
        g.weighted() ? ", weighted" : "",
        loadS);
    BackendOptions options =
        new BackendOptions(
            threads != null ? threads : Runtime.getRuntime().availableProcessors(), tileSize);
    Outcome last = null;
    double best = Double.POSITIVE_INFINITY;
    double total = 0;
    TileCounters counters = null;
    t0 = System.nanoTime();
    try (GraphKernel kernel = b.prepare(g, options)) {
      out.printf(
          Locale.ROOT,
          "backend: %s (%d threads); prepared in %.3f s%n",
          b.name(),
          options.threads(),
          seconds(t0));
      for (int i = 0; i < warmup; i++) {
        runOnce(kernel, users);
      }
      for (int i = 0; i < trials; i++) {
        if (kernel.tileCounters() != null) {
          kernel.tileCounters().reset();
        }
        long start = System.nanoTime();
        last = runOnce(kernel, users);
        double s = seconds(start);
        best = Math.min(best, s);
        total += s;
      }
      counters = kernel.tileCounters();
    }
    out.println(last.summary());
    out.printf(
        Locale.ROOT,
        "time: %.6f s (best of %d; mean %.6f s%s)%n",
        best,
        trials,
        total / trials,
        warmup > 0 ? "; after " + warmup + " untimed warm-up runs" : "");
    out.println("checksum: " + last.checksum());
    if (counters == null && crossbar) {
      try (GraphKernel tiles = new TilesBackend().prepare(g, options)) {
        runOnce(tiles, users);
        counters = tiles.tileCounters();
      }
    }
    if (counters != null) {
      CrossbarParams params = CrossbarParams.graphR();
      out.println(counters);
      out.println(new CrossbarModel(params).estimate(counters).describe(best, params.cpuWatts()));
    }
    return 0;
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The vertex BFS/SSSP start from when --source is absent: the first with an out-edge. */
  static int defaultSource(Graph g) {
    for (int v = 0; v < g.numVertices(); v++) {
      if (g.outDegree(v) > 0) {
        return v;
      }
    }
    return 0;
  }
}
