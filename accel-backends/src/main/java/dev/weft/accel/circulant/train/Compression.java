package dev.weft.accel.circulant.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Pairs a dense model's parameters with those of the same model built block-circulant (see {@link
 * dev.weft.accel.circulant.nn.CirculantModels}): parameters of equal shape correspond one to one; a
 * dense matrix [m, n] (or kernel [m, n, kh, kw]) faces block vectors [p, q, k] (or [p, q, kh, kw,
 * k]) and is a compressed layer.
 */
public final class Compression {

  /**
   * One parameter of the dense model and its counterpart.
   *
   * @param taps 0 when the shapes are equal (copied as is); else kernel taps (1 for a matrix)
   */
  public record Pair(Parameter dense, Parameter circulant, int m, int n, int taps, int k) {
    public boolean compressed() {
      return taps > 0;
    }
  }

  private Compression() {}

  /** The parameter pairs, in model order; fails naming the first parameter that does not fit. */
  public static List<Pair> pairs(Block dense, Block circulant) {
    List<Parameter> d = new ArrayList<>();
    List<Parameter> c = new ArrayList<>();
    dense.getParameters().forEach(p -> d.add(p.getValue()));
    circulant.getParameters().forEach(p -> c.add(p.getValue()));
    if (d.size() != c.size()) {
      throw new IllegalArgumentException(
          "models differ: " + d.size() + " dense parameters, " + c.size() + " circulant ones");
    }
    List<Pair> out = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      Shape ds = d.get(i).getArray().getShape();
      Shape cs = c.get(i).getArray().getShape();
      if (ds.equals(cs)) {
        out.add(new Pair(d.get(i), c.get(i), 0, 0, 0, 0));
        continue;
      }
      int rank = ds.dimension();
      if (cs.dimension() != rank + 1 || (rank != 2 && rank != 4)) {
        throw new IllegalArgumentException(
            "parameter "
                + d.get(i).getName()
                + " "
                + ds
                + " has no circulant counterpart in "
                + cs);
      }
      int k = (int) cs.get(cs.dimension() - 1);
      int taps = rank == 4 ? (int) (ds.get(2) * ds.get(3)) : 1;
      out.add(new Pair(d.get(i), c.get(i), (int) ds.get(0), (int) ds.get(1), taps, k));
    }
    return out;
  }

  /**
   * Hard projection: sets the circulant model's parameters from the dense model's, projecting each
   * compressed matrix onto the block-circulant set.
   */
  public static void project(List<Pair> pairs) {
    for (Pair p : pairs) {
      float[] w = p.dense().getArray().toFloatArray();
      float[] value =
          p.compressed() ? CirculantProjection.projectKernel(w, p.m(), p.n(), p.taps(), p.k()) : w;
      p.circulant().getArray().set(value);
    }
  }

  /** Weights stored by a model's parameters. */
  public static long parameterCount(Block model) {
    long n = 0;
    for (var p : model.getParameters()) {
      n += p.getValue().getArray().size();
    }
    return n;
  }
}
