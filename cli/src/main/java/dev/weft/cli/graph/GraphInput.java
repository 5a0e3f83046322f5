package dev.weft.cli.graph;

import dev.weft.data.graph.EdgeList;
import dev.weft.data.graph.GraphFiles;
import dev.weft.data.graph.GraphGenerators;
import dev.weft.data.graph.IdBase;
import dev.weft.data.graph.KroneckerConfig;
import dev.weft.data.graph.LoadOptions;
import dev.weft.data.graph.Ratings;
import dev.weft.data.graph.RatingsConfig;
import dev.weft.data.graph.UniformConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/** The options that choose and read a graph, shared by every {@code weft graph} verb. */
final class GraphInput {

  @Option(
      names = "--graph",
      required = true,
      paramLabel = "SPEC",
      description =
          "kron:SCALE | urand:SCALE (GAP/Graph500 generators, edge factor 16, undirected, "
              + "weights 1..255) | ratings:SCALE (2^SCALE users, 2^(SCALE-1) items) | PATH "
              + "(.mtx Matrix Market, anything else a SNAP edge list)")
  String graph;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of generated graphs and weights (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--undirected", description = "Edge-list file: store each edge both ways.")
  boolean undirected;

  @Option(names = "--weighted", description = "Edge-list file: a third column holds weights.")
  boolean weighted;

  @Option(names = "--one-based", description = "Edge-list file: vertex ids start at 1.")
  boolean oneBased;

  @Option(
      names = "--vertices",
      defaultValue = "-1",
      description = "Edge-list file: vertex count (ids beyond it are errors); -1 infers it.")
  int vertices;

  @Option(
      names = "--users",
      defaultValue = "-1",
      description = "cf on a file: how many of the first vertices are users.")
  int users;

  GraphSpec spec() {
    return GraphSpec.parse(graph);
  }

  /** Users in a ratings graph: from the spec, or --users for a file. */
  int numUsers() {
    GraphSpec s = spec();
    if (s.kind() == GraphSpec.Kind.RATINGS) {
      return 1 << s.scale();
    }
    if (users < 0) {
      throw new IllegalArgumentException(
          "cf needs a user→item ratings graph: use --graph ratings:SCALE, or --users N with a file");
    }
    return users;
  }

  EdgeList load() {
    GraphSpec s = spec();
    return switch (s.kind()) {
      case KRON ->
          GraphGenerators.withRandomWeights(
              GraphGenerators.kronecker(KroneckerConfig.graph500(s.scale(), seed)), 1, 255, seed);
      case URAND ->
          GraphGenerators.withRandomWeights(
              GraphGenerators.uniform(UniformConfig.gap(s.scale(), seed)), 1, 255, seed);
      case RATINGS ->
          Ratings.generate(
                  new RatingsConfig(
                      1 << s.scale(),
                      1 << (s.scale() - 1),
                      8,
                      Math.min(32, 1 << (s.scale() - 1)),
                      0.1,
                      seed))
              .toEdgeList();
      case FILE -> {
        try {
          yield GraphFiles.load(
              s.path(),
              new LoadOptions(
                  !undirected, weighted, oneBased ? IdBase.ONE : IdBase.ZERO, vertices));
        } catch (IOException e) {
          throw new UncheckedIOException(s.path() + ": " + e.getMessage(), e);
        }
      }
    };
  }
}
