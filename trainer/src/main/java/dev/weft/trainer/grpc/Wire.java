package dev.weft.trainer.grpc;

import dev.weft.protos.v1.Tensor;
import dev.weft.trainer.model.ParameterShapes;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the trainer's types and the protos. */
final class Wire {

  private Wire() {}

  static List<Tensor> shapes(ParameterShapes s) {
    List<Tensor> out = new ArrayList<>();
    if (s == null) {
      return out;
    }
    for (long[] d : s.dims()) {
      Tensor.Builder t = Tensor.newBuilder();
      for (long x : d) {
        t.addShape(x);
      }
      out.add(t.build());
    }
    return out;
  }

  /** Shapes from the wire; names are unknown there, so they are the indices. */
  static ParameterShapes shapes(List<Tensor> ts) {
    List<String> names = new ArrayList<>();
    List<long[]> dims = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) {
      names.add("p" + i);
      dims.add(ts.get(i).getShapeList().stream().mapToLong(Long::longValue).toArray());
    }
    return new ParameterShapes(names, dims);
  }
}
