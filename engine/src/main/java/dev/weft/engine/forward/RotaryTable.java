package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.weft.engine.model.LlamaConfig;

/**
 * Rotary position embeddings: cos/sin tables for every position, and their application to q or k in
 * the pairing the checkpoint was trained with. Angles follow llama2.c's float arithmetic (frequency
 * and angle in float32) so greedy outputs match it token for token.
 */
final class RotaryTable {

  private final LlamaConfig config;
  private final NDArray cos;
  private final NDArray sin;

  RotaryTable(NDManager manager, LlamaConfig config) {
    this.config = config;
    int half = config.headSize() / 2;
    int positions = config.maxSeqLen();
    float[] c = new float[positions * half];
    float[] s = new float[positions * half];
    for (int pos = 0; pos < positions; pos++) {
      for (int j = 0; j < half; j++) {
        float freq =
            (float) (1.0 / Math.pow(config.ropeTheta(), (2 * j) / (float) config.headSize()));
        float angle = pos * freq;
        c[pos * half + j] = (float) Math.cos(angle);
        s[pos * half + j] = (float) Math.sin(angle);
      }
    }
    this.cos = manager.create(c, new Shape(positions, half));
    this.sin = manager.create(s, new Shape(positions, half));
  }

  /** cos of positions {@code [start, start + t)}, shaped [t, 1, headSize/2] to broadcast. */
  NDArray cos(NDManager scope, int start, int t) {
    return rows(cos, scope, start, t);
  }

  /** sin of positions {@code [start, start + t)}, shaped [t, 1, headSize/2] to broadcast. */
  NDArray sin(NDManager scope, int start, int t) {
    return rows(sin, scope, start, t);
  }

  /** cos of arbitrary positions (an int64 array of N), shaped [N, 1, headSize/2]. */
  NDArray cosAt(NDManager scope, NDArray positions) {
    return gather(cos, scope, positions);
  }

  /** sin of arbitrary positions (an int64 array of N), shaped [N, 1, headSize/2]. */
  NDArray sinAt(NDManager scope, NDArray positions) {
    return gather(sin, scope, positions);
  }

  private NDArray gather(NDArray table, NDManager scope, NDArray positions) {
    return table
        .get(scope, new NDIndex("{}", positions))
        .reshape(positions.getShape().get(0), 1, config.headSize() / 2);
  }

  private NDArray rows(NDArray table, NDManager scope, int start, int t) {
    if (start + t > config.maxSeqLen()) {
      throw new IllegalArgumentException(
          "position " + (start + t - 1) + " beyond the context window of " + config.maxSeqLen());
    }
    return table
        .get(scope, new NDIndex("{}:{}", start, start + t))
        .reshape(t, 1, config.headSize() / 2);
  }

  /**
   * Rotates {@code x} ([T, heads * headSize]) at the positions whose cos/sin are given; each pair
   * (a, b) becomes (a cos − b sin, a sin + b cos).
   */
  NDArray apply(NDArray x, NDArray cos, NDArray sin, int heads) {
    long t = x.getShape().get(0);
    int hd = config.headSize();
    int half = hd / 2;
    if (config.ropeStyle() == LlamaConfig.RopeStyle.INTERLEAVED) {
      NDArray pairs = x.reshape(t, heads, half, 2);
      NDArray a = pairs.get(new NDIndex(":, :, :, 0"));
      NDArray b = pairs.get(new NDIndex(":, :, :, 1"));
      NDArray ra = a.mul(cos).sub(b.mul(sin));
      NDArray rb = a.mul(sin).add(b.mul(cos));
      return NDArrays.stack(new NDList(ra, rb), 3).reshape(t, (long) heads * hd);
    }
    NDArray heads3 = x.reshape(t, heads, hd);
    NDArray a = heads3.get(new NDIndex(":, :, 0:{}", half));
    NDArray b = heads3.get(new NDIndex(":, :, {}:", half));
    NDArray ra = a.mul(cos).sub(b.mul(sin));
    NDArray rb = a.mul(sin).add(b.mul(cos));
    return NDArrays.concat(new NDList(ra, rb), 2).reshape(t, (long) heads * hd);
  }
}
