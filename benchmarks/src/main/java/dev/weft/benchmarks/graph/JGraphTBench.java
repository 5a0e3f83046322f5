package dev.weft.benchmarks.graph;

import dev.weft.data.graph.EdgeList;
import dev.weft.data.graph.GraphFiles;
import dev.weft.data.graph.LoadOptions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.alg.interfaces.ShortestPathAlgorithm.SingleSourcePaths;
import org.jgrapht.alg.scoring.PageRank;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.graph.DefaultUndirectedWeightedGraph;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.traverse.BreadthFirstIterator;

/**
 * The JGraphT peer: loads the same .wel file weft and GAP read into JGraphT's standard undirected
 * weighted graph, then times PageRank (d = 0.85, 20 iterations, tolerance 1e-4), BFS (iterating a
 * BreadthFirstIterator) and Dijkstra from the given source. Prints one CSV line per trial:
 * peer,algorithm,trial,seconds,checksum. Loading is not timed.
 *
 * <p>Usage: JGraphTBench FILE.wel SOURCE TRIALS [pagerank|bfs|sssp]...
 */
public final class JGraphTBench {

  private JGraphTBench() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int source = Integer.parseInt(args[1]);
    int trials = Integer.parseInt(args[2]);
    EdgeList edges = GraphFiles.load(file, LoadOptions.snap().withDirected(false));
    Graph<Integer, DefaultWeightedEdge> g =
        new DefaultUndirectedWeightedGraph<>(DefaultWeightedEdge.class);
    for (int v = 0; v < edges.numVertices(); v++) {
      g.addVertex(v);
    }
    for (int e = 0; e < edges.numEdges(); e++) {
      int s = edges.src()[e];
      int d = edges.dst()[e];
      DefaultWeightedEdge edge = g.addEdge(s, d);
      if (edge != null) {
        g.setEdgeWeight(edge, edges.weight(e));
      } else {
        // A parallel edge: keep the smallest weight, as weft's Graph does.
        DefaultWeightedEdge old = g.getEdge(s, d);
        g.setEdgeWeight(old, Math.min(g.getEdgeWeight(old), edges.weight(e)));
      }
    }
    System.err.printf(
        "jgrapht: %s: %d vertices, %d edges%n", file, g.vertexSet().size(), g.edgeSet().size());
    for (int a = 3; a < args.length; a++) {
      for (int t = 0; t < trials; t++) {
        long start = System.nanoTime();
        String checksum = run(args[a], g, source);
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "jgrapht,%s,%d,%.6f,%s%n", args[a], t, s, checksum);
      }
    }
  }

  private static String run(String algo, Graph<Integer, DefaultWeightedEdge> g, int source) {
    switch (algo) {
      case "pagerank" -> {
        Map<Integer, Double> scores = new PageRank<>(g, 0.85, 20, 1e-4).getScores();
        double sum = 0;
        for (double v : scores.values()) {
          sum += v;
        }
        return String.format(Locale.ROOT, "rank_sum=%.6f", sum);
      }
      case "bfs" -> {
        BreadthFirstIterator<Integer, DefaultWeightedEdge> it =
            new BreadthFirstIterator<>(g, source);
        long reached = 0;
        long depthSum = 0;
        while (it.hasNext()) {
          int v = it.next();
          reached++;
          depthSum += it.getDepth(v);
        }
        return "reached=" + reached + " depth_sum=" + depthSum;
      }
      case "sssp" -> {
        SingleSourcePaths<Integer, DefaultWeightedEdge> paths =
            new DijkstraShortestPath<>(g).getPaths(source);
        long reached = 0;
        double sum = 0;
        for (int v : g.vertexSet()) {
          double w = paths.getWeight(v);
          if (!Double.isInfinite(w)) {
            reached++;
            sum += w;
          }
        }
        return String.format(Locale.ROOT, "reached=%d dist_sum=%.6f", reached, sum);
      }
      default -> throw new IllegalArgumentException("unknown algorithm " + algo);
    }
  }
}
