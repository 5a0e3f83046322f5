package dev.weft.engine.model;

import java.util.List;

/**
 * A Llama model's weights in host memory, float32, in the layout of the llama2.c checkpoint
 * (row-major, each matrix stored as [out, in]). Format readers produce it; the forward pass copies
 * it into engine memory once.
 *
 * @param config the shape these tensors follow
 * @param tokenEmbedding [vocab, dim]
 * @param layers one entry per transformer block
 * @param rmsFinal [dim]
 * @param classifier [vocab, dim]; the token embedding itself when shared
 */
public record LlamaWeights(
    LlamaConfig config,
    float[] tokenEmbedding,
    List<Layer> layers,
    float[] rmsFinal,
    float[] classifier) {

  /**
   * One transformer block. Matrices are [out, in]; q and k rows follow {@link
   * LlamaConfig#ropeStyle()}.
   */
  public record Layer(
      float[] rmsAtt,
      float[] wq,
      float[] wk,
      float[] wv,
      float[] wo,
      float[] rmsFfn,
      float[] w1,
      float[] w2,
      float[] w3) {}

  public LlamaWeights {
    layers = List.copyOf(layers);
    int d = config.dim();
    check("token_embedding", tokenEmbedding.length, (long) config.vocabSize() * d);
    check("rms_final", rmsFinal.length, d);
    check("classifier", classifier.length, (long) config.vocabSize() * d);
    if (layers.size() != config.nLayers()) {
      throw new IllegalArgumentException(
          "expected " + config.nLayers() + " layers, got " + layers.size());
    }
    long kv = config.kvDim();
    long h = config.hiddenDim();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      String p = "layers." + i + ".";
      check(p + "rms_att", l.rmsAtt().length, d);
      check(p + "wq", l.wq().length, (long) d * d);
      check(p + "wk", l.wk().length, kv * d);
      check(p + "wv", l.wv().length, kv * d);
      check(p + "wo", l.wo().length, (long) d * d);
      check(p + "rms_ffn", l.rmsFfn().length, d);
      check(p + "w1", l.w1().length, h * d);
      check(p + "w2", l.w2().length, h * d);
      check(p + "w3", l.w3().length, h * d);
    }
  }

  private static void check(String name, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          "tensor " + name + " has " + actual + " values, expected " + expected);
    }
  }
}
