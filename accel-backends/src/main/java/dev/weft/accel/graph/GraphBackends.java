package dev.weft.accel.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Looks up graph backends registered in META-INF/services. */
public final class GraphBackends {

  private GraphBackends() {}

  /** Every registered backend, in registration order. */
  public static List<GraphBackend> all() {
    List<GraphBackend> out = new ArrayList<>();
    ServiceLoader.load(GraphBackend.class, GraphBackend.class.getClassLoader()).forEach(out::add);
    return out;
  }

  /** The backend called {@code name}; the error lists the ones that exist. */
  public static GraphBackend byName(String name) {
    List<GraphBackend> all = all();
    for (GraphBackend b : all) {
      if (b.name().equals(name)) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "unknown graph backend '"
            + name
            + "'; available: "
            + String.join(", ", all.stream().map(GraphBackend::name).toList()));
  }
}
