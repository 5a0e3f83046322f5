package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;

/**
 * The oracle: sequential, textbook algorithms (queue BFS, Dijkstra, union–find, power iteration
 * over the edge list) that share no code with the semiring programs they check.
 */
public final class ReferenceBackend implements GraphBackend {

  @Override
  public String name() {
    return "reference";
  }

  @Override
  public String description() {
    return "textbook sequential algorithms over the edge list; the oracle for the others";
  }

  @Override
  public GraphKernel prepare(Graph graph, BackendOptions options) {
    return new ReferenceKernel(graph);
  }
}
