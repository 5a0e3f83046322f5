package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engine's Llama as a trainable function: the very layer code of {@link LlamaModel} (q/k/v,
 * rotary, grouped-query attention, SwiGLU, the classifier), run over whole windows with full causal
 * attention and no KV cache, on weights that autograd can differentiate. Training and serving thus
 * share one forward pass; only the embedding is looked up on the device here (so that it gets a
 * gradient) instead of on the host.
 *
 * <p>The trainable tensors are the engine's own layout: fused q|k|v and gate|up projections with
 * each RMSNorm weight folded into the projection after it. That layout is a reparameterisation of
 * the checkpoint's; {@link #toWeights()} writes it back as a checkpoint whose norm weights are 1
 * and whose classifier is its own tensor, which computes exactly the same function.
 */
public final class TrainableLlama implements AutoCloseable {

  private final LlamaModel model;
  private final NDArray embedding;
  private final List<NDArray> parameters = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  /** Copies {@code weights} into a new manager under {@code parent}. */
  public TrainableLlama(NDManager parent, LlamaWeights weights) {
    this.model = new LlamaModel(parent, weights);
    LlamaConfig c = weights.config();
    this.embedding =
        model.manager.create(weights.tokenEmbedding(), new Shape(c.vocabSize(), c.dim()));
    add("token_embedding", embedding);
    for (int l = 0; l < c.nLayers(); l++) {
      add("layers." + l + ".wqkv", model.wqkv[l]);
      add("layers." + l + ".wo", model.wo[l]);
      add("layers." + l + ".w13", model.w13[l]);
      add("layers." + l + ".w2", model.w2[l]);
    }
    add("classifier", model.classifier);
  }

  private void add(String name, NDArray array) {
    names.add(name);
    parameters.add(array);
  }

  public LlamaConfig config() {
    return model.config();
  }

  /**
   * The trainable tensors in a fixed order: the embedding [vocab, dim], then per layer wqkv [dim,
   * dim + 2 kvDim], wo [dim, dim], w13 [dim, 2 hidden], w2 [hidden, dim], then the classifier [dim,
   * vocab]. Callers may overwrite their contents and mark them as requiring gradients.
   */
  public List<NDArray> parameters() {
    return List.copyOf(parameters);
  }

  /** Names of {@link #parameters()}, same order. */
  public List<String> names() {
    return List.copyOf(names);
  }

  /**
   * Logits of every position of {@code windows} independent windows of {@code length} tokens each,
   * laid out one window after another in {@code tokens}: {@code [windows * length, vocab]}, row i
   * predicting the token after {@code tokens[i]}. Each window starts at position 0.
   */
  public NDArray logits(NDManager step, int[] tokens, int windows, int length) {
    LlamaConfig c = model.config();
    if (windows < 1 || length < 1 || tokens.length != windows * length) {
      throw new IllegalArgumentException(
          tokens.length + " tokens are not " + windows + " windows of " + length);
    }
    if (length > c.maxSeqLen()) {
      throw new IllegalArgumentException(
          "window of " + length + " tokens exceeds the context window of " + c.maxSeqLen());
    }
    for (int id : tokens) {
      if (id < 0 || id >= c.vocabSize()) {
        throw new IllegalArgumentException(
            "token id " + id + " outside the vocabulary [0, " + c.vocabSize() + ")");
      }
    }
    long[] ids = Arrays.stream(tokens).asLongStream().toArray();
    long[] positions = new long[tokens.length];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i % length;
    }
    NDArray posArray = step.create(positions);
    NDArray cos = model.rotary.cosAt(step, posArray);
    NDArray sin = model.rotary.sinAt(step, posArray);
    NDArray mask = CausalMask.create(step, 0, length, c.queriesPerKvHead());
    NDArray x = embedding.get(step, new NDIndex("{}", step.create(ids)));
    for (int l = 0; l < c.nLayers(); l++) {
      LlamaModel.Qkv qkv = model.attentionInputs(l, x, cos, sin);
      NDArray att = Attention.windows(c, qkv.q(), qkv.k(), qkv.v(), mask, windows, length);
      x = model.feedForward(l, model.attentionOutput(l, x, att));
    }
    return model.logits(x);
  }

  /**
   * The current weights as a checkpoint computing the same function: norm weights 1, projections
   * with the norms folded in, split back into q, k, v, gate and up, stored [out, in].
   */
  public LlamaWeights toWeights() {
    LlamaConfig c = model.config();
    int d = c.dim();
    int kv = c.kvDim();
    int h = c.hiddenDim();
    List<LlamaWeights.Layer> layers = new ArrayList<>();
    for (int l = 0; l < c.nLayers(); l++) {
      float[] qkv = model.wqkv[l].toFloatArray();
      float[] w13 = model.w13[l].toFloatArray();
      int qkvCols = d + 2 * kv;
      layers.add(
          new LlamaWeights.Layer(
              ones(d),
              outByIn(qkv, d, qkvCols, 0, d),
              outByIn(qkv, d, qkvCols, d, kv),
              outByIn(qkv, d, qkvCols, d + kv, kv),
              outByIn(model.wo[l].toFloatArray(), d, d, 0, d),
              ones(d),
              outByIn(w13, d, 2 * h, 0, h),
              outByIn(model.w2[l].toFloatArray(), h, d, 0, d),
              outByIn(w13, d, 2 * h, h, h)));
    }
    LlamaConfig unshared =
        new LlamaConfig(
            d,
            h,
            c.nLayers(),
            c.nHeads(),
            c.nKvHeads(),
            c.vocabSize(),
            c.maxSeqLen(),
            c.ropeTheta(),
            c.rmsNormEps(),
            false,
            c.ropeStyle());
    return new LlamaWeights(
        unshared,
        embedding.toFloatArray(),
        layers,
        ones(d),
        outByIn(model.classifier.toFloatArray(), d, c.vocabSize(), 0, c.vocabSize()));
  }

  /** Columns {@code [from, from + count)} of an [in, cols] matrix, as a [count, in] matrix. */
  private static float[] outByIn(float[] inByCols, int in, int cols, int from, int count) {
    float[] out = new float[count * in];
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < count; o++) {
        out[o * in + i] = inByCols[i * cols + from + o];
      }
    }
    return out;
  }

  private static float[] ones(int n) {
    float[] out = new float[n];
    Arrays.fill(out, 1f);
    return out;
  }

  @Override
  public void close() {
    model.close();
  }
}
