package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
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
    int hd = config.headSize();
    int half = hd / 2;
    int positions = config.maxSeqLen();
    // Per position, a cos and a signed sin for every coordinate of a head, laid out like the
    // pairing: rotated = x * cos + partner(x) * sin, where partner swaps each pair.
    float[] c = new float[positions * hd];
    float[] s = new float[positions * hd];
    boolean interleaved = config.ropeStyle() == LlamaConfig.RopeStyle.INTERLEAVED;
    for (int pos = 0; pos < positions; pos++) {
      for (int j = 0; j < half; j++) {
        float freq = (float) (1.0 / Math.pow(config.ropeTheta(), (2 * j) / (float) hd));
        float angle = pos * freq;
        float cos = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        int first = interleaved ? 2 * j : j;
        int second = interleaved ? 2 * j + 1 : j + half;
        c[pos * hd + first] = cos;
        c[pos * hd + second] = cos;
        s[pos * hd + first] = -sin;
        s[pos * hd + second] = sin;
      }
    }
    this.cos = manager.create(c, new Shape(positions, hd));
    this.sin = manager.create(s, new Shape(positions, hd));
  }

  /** cos of positions {@code [start, start + t)}, shaped [t, 1, headSize] to broadcast. */
  NDArray cos(NDManager scope, int start, int t) {
    return rows(cos, scope, start, t);
  }

  /** Signed sin of positions {@code [start, start + t)}, shaped [t, 1, headSize]. */
  NDArray sin(NDManager scope, int start, int t) {
    return rows(sin, scope, start, t);
  }

  /** cos of arbitrary positions (an int64 array of N), shaped [N, 1, headSize]. */
  NDArray cosAt(NDManager scope, NDArray positions) {
    return gather(cos, scope, positions);
  }

  /** Signed sin of arbitrary positions (an int64 array of N), shaped [N, 1, headSize]. */
  NDArray sinAt(NDManager scope, NDArray positions) {
    return gather(sin, scope, positions);
  }

  private NDArray gather(NDArray table, NDManager scope, NDArray positions) {
    return table
        .get(scope, new NDIndex("{}", positions))
        .reshape(positions.getShape().get(0), 1, config.headSize());
  }

  private NDArray rows(NDArray table, NDManager scope, int start, int t) {
    if (start + t > config.maxSeqLen()) {
      throw new IllegalArgumentException(
          "position " + (start + t - 1) + " beyond the context window of " + config.maxSeqLen());
    }
    return table
        .get(scope, new NDIndex("{}:{}", start, start + t))
        .reshape(t, 1, config.headSize());
  }

  /**
   * Rotates {@code x} ([T, heads * headSize]) at the positions whose cos/sin are given; each pair
   * (a, b) becomes (a cos − b sin, a sin + b cos).
   */
  NDArray apply(NDArray x, NDArray cos, NDArray sin, int heads) {
    long t = x.getShape().get(0);
    int hd = config.headSize();
    NDArray partner =
        config.ropeStyle() == LlamaConfig.RopeStyle.INTERLEAVED
            ? x.reshape(t, heads, hd / 2, 2).flip(3) // (a, b) pairs sit side by side
            : x.reshape(t, heads, 2, hd / 2).flip(2); // a in the first half, b in the second
    return x.reshape(t, heads, hd)
        .mul(cos)
        .add(partner.reshape(t, heads, hd).mul(sin))
        .reshape(t, (long) heads * hd);
  }
}
