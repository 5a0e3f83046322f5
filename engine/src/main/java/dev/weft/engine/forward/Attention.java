package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import dev.weft.engine.model.LlamaConfig;

/**
 * Grouped-query attention kernels. Query heads sharing a KV head are stacked into one matrix per KV
 * head, so keys and values are used as stored, without repeating them per query head.
 */
final class Attention {

  private Attention() {}

  /**
   * 1/sqrt(headSize) as a scalar tensor in the scope of {@code like} (an activation: the step's
   * manager). Not {@code scores.mul(double)}: DJL makes that scalar from a direct buffer and closes
   * it right away, but autograd keeps it for the backward pass, which then reads freed memory once
   * the garbage collector has released the buffer (training went NaN or drifted under GC).
   */
  private static NDArray scale(NDArray like, int hd) {
    return like.getManager().create((float) (1.0 / Math.sqrt(hd)));
  }

  /**
   * One sequence's chunk of {@code t} tokens over its {@code S} cached positions.
   *
   * @param q [t, nHeads * hd], rotated
   * @param keys [nKv, S, hd]
   * @param values [nKv, S, hd]
   * @param mask [g * t, S] additive causal mask ({@link CausalMask})
   * @return [t, dim]
   */
  static NDArray chunk(
      LlamaConfig config, NDArray q, NDArray keys, NDArray values, NDArray mask, int t) {
    int nKv = config.nKvHeads();
    int g = config.queriesPerKvHead();
    int hd = config.headSize();
    NDArray qh = q.reshape(t, nKv, g, hd).transpose(1, 2, 0, 3).reshape(nKv, (long) g * t, hd);
    NDArray scores = qh.matMul(keys.transpose(0, 2, 1)).mul(scale(qh, hd)).add(mask);
    NDArray out = scores.softmax(-1).matMul(values);
    return out.reshape(nKv, g, t, hd).transpose(2, 0, 1, 3).reshape(t, config.dim());
  }

  /**
   * Full causal attention within each of {@code w} independent windows of {@code t} tokens (the
   * training forward): {@link #chunk} with a leading window axis and each window's own K/V.
   *
   * @param q [w * t, nHeads * hd], rotated
   * @param k [w * t, nKv, hd], rotated
   * @param v [w * t, nKv, hd]
   * @param mask [g * t, t] additive causal mask ({@link CausalMask})
   * @return [w * t, dim]
   */
  static NDArray windows(
      LlamaConfig config, NDArray q, NDArray k, NDArray v, NDArray mask, int w, int t) {
    int nKv = config.nKvHeads();
    int g = config.queriesPerKvHead();
    int hd = config.headSize();
    NDArray qh =
        q.reshape(w, t, nKv, g, hd).transpose(0, 2, 3, 1, 4).reshape(w, nKv, (long) g * t, hd);
    NDArray keys = k.reshape(w, t, nKv, hd).transpose(0, 2, 3, 1);
    NDArray values = v.reshape(w, t, nKv, hd).transpose(0, 2, 1, 3);
    NDArray scores = qh.matMul(keys).mul(scale(qh, hd)).add(mask);
    NDArray out = scores.softmax(-1).matMul(values);
    return out.reshape(w, nKv, g, t, hd)
        .transpose(0, 3, 1, 2, 4)
        .reshape((long) w * t, config.dim());
  }

  /**
   * One decode token for each of {@code d} sequences, their contexts padded to a common length
   * {@code L}; padded positions are masked out. Work is laid out KV-head first, like the pool, so
   * only the small query and output tensors are ever transposed.
   *
   * @param q [d, nHeads * hd], rotated
   * @param keys [nKv, d, L, hd]
   * @param values [nKv, d, L, hd]
   * @param mask [1, d, 1, L] additive: 0 for a real position, -inf for padding; null when no
   *     context is padded
   * @return [d, dim]
   */
  static NDArray decode(
      LlamaConfig config, NDArray q, NDArray keys, NDArray values, NDArray mask, int d) {
    int nKv = config.nKvHeads();
    int g = config.queriesPerKvHead();
    int hd = config.headSize();
    NDArray qh = q.reshape(d, nKv, g, hd).transpose(1, 0, 2, 3);
    NDArray scores = qh.matMul(keys.transpose(0, 1, 3, 2)).mul(scale(qh, hd));
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray out = scores.softmax(-1).matMul(values);
    return out.transpose(1, 0, 2, 3).reshape(d, config.dim());
  }
}
