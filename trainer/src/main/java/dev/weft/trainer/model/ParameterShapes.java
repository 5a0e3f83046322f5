package dev.weft.trainer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Names and shapes of a model's parameters in flat-vector order. Peers compare these at the
 * handshake so that two workers built with different models fail with a clear message instead of
 * averaging unrelated numbers.
 */
public record ParameterShapes(List<String> names, List<long[]> dims) {

  public ParameterShapes {
    if (names.size() != dims.size()) {
      throw new IllegalArgumentException(names.size() + " names for " + dims.size() + " shapes");
    }
    names = List.copyOf(names);
    List<long[]> copy = new ArrayList<>();
    for (long[] d : dims) {
      copy.add(d.clone());
    }
    dims = List.copyOf(copy);
  }

  static long elements(long[] d) {
    long n = 1;
    for (long x : d) {
      n *= x;
    }
    return n;
  }

  public int totalElements() {
    long n = 0;
    for (long[] d : dims) {
      n += elements(d);
    }
    return Math.toIntExact(n);
  }

  /** True when both have the same shapes in the same order (names are informational). */
  public boolean sameShapes(ParameterShapes other) {
    if (dims.size() != other.dims.size()) {
      return false;
    }
    for (int i = 0; i < dims.size(); i++) {
      if (!Arrays.equals(dims.get(i), other.dims.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Compact form for messages, e.g. {@code [256x784, 256, 10x256, 10] (203530 values)}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      long[] d = dims.get(i);
      for (int j = 0; j < d.length; j++) {
        sb.append(j > 0 ? "x" : "").append(d[j]);
      }
    }
    return sb.append("] (").append(totalElements()).append(" values)").toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterShapes p && names.equals(p.names) && sameShapes(p);
  }

  @Override
  public int hashCode() {
    return names.hashCode();
  }
}
