package dev.weft.accel.circulant;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Looks up block-circulant backends registered in META-INF/services. */
public final class CirculantBackends {

  private CirculantBackends() {}

  /** Every registered backend, in registration order (reference first). */
  public static List<CirculantBackend> all() {
    List<CirculantBackend> out = new ArrayList<>();
    ServiceLoader.load(CirculantBackend.class, CirculantBackend.class.getClassLoader())
        .forEach(out::add);
    return out;
  }

  /** The backend called {@code name}; the error lists the ones that exist. */
  public static CirculantBackend byName(String name) {
    List<CirculantBackend> all = all();
    for (CirculantBackend b : all) {
      if (b.name().equals(name)) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "unknown circulant backend '"
            + name
            + "'; available: "
            + String.join(", ", all.stream().map(CirculantBackend::name).toList()));
  }
}
