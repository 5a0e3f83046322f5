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
 * @param circulantFfn the feed-forward matrices as block-circulant block vectors, or null when they
 *     are dense; when set, every layer's w1, w2 and w3 are empty
 */
public record LlamaWeights(
    LlamaConfig config,
    float[] tokenEmbedding,
    List<Layer> layers,
    float[] rmsFinal,
    float[] classifier,
    CirculantFfn circulantFfn) {

  /** Weights with dense feed-forward matrices. */
  public LlamaWeights(
      LlamaConfig config,
      float[] tokenEmbedding,
      List<Layer> layers,
      float[] rmsFinal,
      float[] classifier) {
    this(config, tokenEmbedding, layers, rmsFinal, classifier, null);
  }

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
    if (circulantFfn != null && circulantFfn.w1().size() != layers.size()) {
      throw new IllegalArgumentException(
          "block-circulant FFN has "
              + circulantFfn.w1().size()
              + " layers, expected "
              + layers.size());
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
      long ffn = circulantFfn == null ? h * d : 0;
      check(p + "w1", l.w1().length, ffn);
      check(p + "w2", l.w2().length, ffn);
      check(p + "w3", l.w3().length, ffn);
      if (circulantFfn != null) {
        int k = circulantFfn.blockSize();
        long upValues = CirculantFfn.storedValues((int) h, d, k);
        check(p + "w1 blocks", circulantFfn.w1().get(i).length, upValues);
        check(
            p + "w2 blocks",
            circulantFfn.w2().get(i).length,
            CirculantFfn.storedValues(d, (int) h, k));
        check(p + "w3 blocks", circulantFfn.w3().get(i).length, upValues);
      }
    }
  }

  /** Fails with a clear message when the feed-forward matrices are not dense. */
  public void requireDenseFfn(String purpose) {
    if (circulantFfn != null) {
      throw new IllegalArgumentException(
          purpose
              + " needs dense feed-forward matrices, but this model stores them block-circulant"
              + " (k = "
              + circulantFfn.blockSize()
              + ")");
    }
  }

  private static void check(String name, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          "tensor " + name + " has " + actual + " values, expected " + expected);
    }
  }
}
