package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;

/** Parallel Java over CSR (push) and CSC (pull), choosing the direction per step. */
public final class JavaBackend implements GraphBackend {

  @Override
  public String name() {
    return "java";
  }

  @Override
  public String description() {
    return "parallel Java on CSR/CSC: pull products, push or pull relaxation, "
        + "direction-optimising BFS";
  }

  @Override
  public GraphKernel prepare(Graph graph, BackendOptions options) {
    return new JavaKernel(graph, options.threads());
  }
}
