package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;

/**
 * A way to run graph programs, found by {@link java.util.ServiceLoader}. Preparing builds the
 * backend's layout (CSR/CSC, tiles, sparse tensors) once; the kernel then runs any number of
 * programs on it. Implementations need a public no-argument constructor.
 */
public interface GraphBackend {

  /** The name users pass to {@code --backend}. */
  String name();

  /** One line for {@code weft graph --help}. */
  String description();

  /** Builds this backend's layout of {@code graph}. The caller closes the kernel. */
  GraphKernel prepare(Graph graph, BackendOptions options);
}
