package dev.weft.engine.model;

/**
 * The shape of a Llama-family model. Validates itself so that a checkpoint whose header is nonsense
 * is reported before any tensor is read.
 *
 * @param dim model (residual stream) width
 * @param hiddenDim feed-forward width (SwiGLU)
 * @param nLayers transformer blocks
 * @param nHeads query heads
 * @param nKvHeads key/value heads (grouped-query attention when fewer than nHeads)
 * @param vocabSize tokens in the vocabulary
 * @param maxSeqLen context window in tokens
 * @param ropeTheta rotary embedding base
 * @param rmsNormEps epsilon inside RMSNorm
 * @param sharedClassifier whether the output classifier is the token embedding
 * @param ropeStyle which coordinates of a head the rotary embedding rotates together
 */
public record LlamaConfig(
    int dim,
    int hiddenDim,
    int nLayers,
    int nHeads,
    int nKvHeads,
    int vocabSize,
    int maxSeqLen,
    double ropeTheta,
    double rmsNormEps,
    boolean sharedClassifier,
    RopeStyle ropeStyle) {

  /** How a head's coordinates are paired for rotation. */
  public enum RopeStyle {
    /** llama2.c and Meta's reference code: pairs (0,1), (2,3), ... */
    INTERLEAVED,
    /** Hugging Face transformers: pairs (i, i + headDim/2). */
    HALVES
  }

  public LlamaConfig {
    positive("dim", dim);
    positive("hidden_dim", hiddenDim);
    positive("n_layers", nLayers);
    positive("n_heads", nHeads);
    positive("n_kv_heads", nKvHeads);
    positive("vocab_size", vocabSize);
    positive("max_seq_len", maxSeqLen);
    if (dim % nHeads != 0) {
      throw new IllegalArgumentException("dim " + dim + " is not a multiple of n_heads " + nHeads);
    }
    if (nHeads % nKvHeads != 0) {
      throw new IllegalArgumentException(
          "n_heads " + nHeads + " is not a multiple of n_kv_heads " + nKvHeads);
    }
    if ((dim / nHeads) % 2 != 0) {
      throw new IllegalArgumentException(
          "head size " + dim / nHeads + " is odd; rotary embeddings need pairs");
    }
    if (!(ropeTheta > 0) || !(rmsNormEps > 0)) {
      throw new IllegalArgumentException(
          "rope_theta " + ropeTheta + " and rms_norm_eps " + rmsNormEps + " must be > 0");
    }
    if (ropeStyle == null) {
      throw new IllegalArgumentException("rope style is required");
    }
  }

  public int headSize() {
    return dim / nHeads;
  }

  public int kvDim() {
    return headSize() * nKvHeads;
  }

  /** Query heads that share one key/value head. */
  public int queriesPerKvHead() {
    return nHeads / nKvHeads;
  }

  /** Number of parameters, counting a shared classifier once. */
  public long parameterCount() {
    long perLayer = 2L * dim + (long) dim * dim * 2 + 2L * kvDim() * dim + 3L * hiddenDim * dim;
    long total = (long) vocabSize * dim + nLayers * perLayer + dim;
    return sharedClassifier ? total : total + (long) vocabSize * dim;
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
