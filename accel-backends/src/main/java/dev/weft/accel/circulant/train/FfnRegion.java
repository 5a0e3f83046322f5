package dev.weft.accel.circulant.train;

import dev.weft.engine.forward.TrainableLlama;
import java.util.ArrayList;
import java.util.List;

/**
 * One feed-forward matrix inside a {@link TrainableLlama} parameter: columns [from, from + count)
 * of a row-major rows × cols tensor stored [in, out] — gate and up share the fused w13 tensor [dim,
 * 2·hidden], down is w2 [hidden, dim]. The region is the transpose of the checkpoint's [out, in]
 * matrix; block-circulant sets are closed under transposition with the same block grid, so
 * projecting the region projects the matrix.
 */
record FfnRegion(int parameter, int rows, int cols, int from, int count) {

  /** Gate, up and down of every layer, in layer order. */
  static List<FfnRegion> of(TrainableLlama model) {
    List<String> names = model.names();
    int d = model.config().dim();
    int h = model.config().hiddenDim();
    List<FfnRegion> out = new ArrayList<>();
    for (int l = 0; l < model.config().nLayers(); l++) {
      int w13 = names.indexOf("layers." + l + ".w13");
      int w2 = names.indexOf("layers." + l + ".w2");
      if (w13 < 0 || w2 < 0) {
        throw new IllegalStateException("layer " + l + " has no dense feed-forward tensors");
      }
      out.add(new FfnRegion(w13, d, 2 * h, 0, h));
      out.add(new FfnRegion(w13, d, 2 * h, h, h));
      out.add(new FfnRegion(w2, h, d, 0, d));
    }
    return out;
  }

  int size() {
    return rows * count;
  }

  float[] extract(float[] tensor) {
    float[] out = new float[rows * count];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(tensor, r * cols + from, out, r * count, count);
    }
    return out;
  }

  void insert(float[] tensor, float[] region) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(region, r * count, tensor, r * cols + from, count);
    }
  }

  /** Π of a region's values, expanded back to the region's dense layout. */
  float[] project(float[] region, int k) {
    return CirculantProjection.expand(
        CirculantProjection.project(region, rows, count, k), rows, count, k);
  }
}
