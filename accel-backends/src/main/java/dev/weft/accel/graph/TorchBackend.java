package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;

/**
 * PyTorch through DJL: (+, ·) products and CF's SpMMs as COO sparse × dense matmuls; (min, ·)
 * relaxations as gather + segmented min-scan over edges sorted by target.
 */
public final class TorchBackend implements GraphBackend {

  @Override
  public String name() {
    return "pytorch";
  }

  @Override
  public String description() {
    return "PyTorch via DJL: COO sparse × dense for (+,×); gather + segmented min for (min,+)";
  }

  @Override
  public GraphKernel prepare(Graph graph, BackendOptions options) {
    return new TorchKernel(graph);
  }
}
