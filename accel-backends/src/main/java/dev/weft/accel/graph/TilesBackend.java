package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;

/** GraphR's streaming-apply model on C×C tiles, counting tile operations for the cost model. */
public final class TilesBackend implements GraphBackend {

  @Override
  public String name() {
    return "tiles";
  }

  @Override
  public String description() {
    return "GraphR streaming-apply over C×C tiles (default 8), counting crossbar tile ops";
  }

  @Override
  public GraphKernel prepare(Graph graph, BackendOptions options) {
    return new TilesKernel(graph, options.tileSize());
  }
}
