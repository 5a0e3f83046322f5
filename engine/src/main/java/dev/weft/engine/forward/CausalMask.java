package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The additive attention mask of one chunk: query t (at position start + t) sees keys at positions
 * up to its own. Rows are repeated once per query head in a KV group, matching the stacked layout
 * the attention uses.
 */
final class CausalMask {

  private CausalMask() {}

  static NDArray create(NDManager scope, int start, int t, int group) {
    return create(scope, start, t, group, start + t);
  }

  /**
   * The mask over {@code width >= start + t} key columns: columns past a query's own position,
   * including padding past the context, are masked.
   */
  static NDArray create(NDManager scope, int start, int t, int group, int width) {
    int s = width;
    float[] mask = new float[group * t * s];
    for (int g = 0; g < group; g++) {
      for (int q = 0; q < t; q++) {
        int row = (g * t + q) * s;
        for (int k = start + q + 1; k < s; k++) {
          mask[row + k] = Float.NEGATIVE_INFINITY;
        }
      }
    }
    return scope.create(mask, new Shape((long) group * t, s));
  }
}
