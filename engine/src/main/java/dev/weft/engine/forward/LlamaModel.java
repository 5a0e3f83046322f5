package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;

/**
 * The Llama forward pass on DJL NDArrays, readable top to bottom: embedding, then per layer RMSNorm
 * → q/k/v → rotary → cache → grouped-query attention → output projection → residual, RMSNorm →
 * SwiGLU → residual; final RMSNorm and the classifier. The layer pieces are shared with {@link
 * PagedForward}, which differs only in where K/V live and how attention gathers them.
 *
 * <p>Weights live in this model's {@link NDManager}, stored transposed ([in, out]) so that every
 * projection is {@code activations.matMul(weight)}: DJL attaches an operation's result to the first
 * operand's manager, so activations (in the step's manager) always come first and nothing a step
 * computes outlives it.
 */
public final class LlamaModel implements AutoCloseable {

  private final LlamaConfig config;
  final NDManager manager;
  private final float[] embedding;

  // Package-private so that TrainableLlama can train these very arrays.

  /** q, k and v projections side by side: [dim, dim + 2 kvDim]. */
  final NDArray[] wqkv;

  final NDArray[] wo;

  /** gate (w1) and up (w3) projections side by side: [dim, 2 hidden]. */
  final NDArray[] w13;

  final NDArray[] w2;

  /** Per layer, the feed-forward when it is block-circulant (then w13 and w2 are null). */
  private final CirculantFeedForward[] circulantFfn;

  final NDArray classifier;
  final RotaryTable rotary;
  private long weightMatmuls;

  /**
   * Copies host weights into a new manager under {@code parent}. Projections that read the same
   * input are stored side by side, so a layer makes four weight products, not seven: fewer, larger
   * matrix products are what a CPU runs near its memory bandwidth.
   */
  public LlamaModel(NDManager parent, LlamaWeights weights) {
    this.config = weights.config();
    this.manager = parent.newSubManager();
    int d = config.dim();
    int kv = config.kvDim();
    int h = config.hiddenDim();
    int n = config.nLayers();
    this.embedding = weights.tokenEmbedding();
    wqkv = new NDArray[n];
    wo = new NDArray[n];
    w13 = new NDArray[n];
    w2 = new NDArray[n];
    circulantFfn = weights.circulantFfn() == null ? null : new CirculantFeedForward[n];
    for (int l = 0; l < n; l++) {
      LlamaWeights.Layer layer = weights.layers().get(l);
      wqkv[l] =
          transposed(concatRows(layer.wq(), layer.wk(), layer.wv()), d + 2 * kv, d, layer.rmsAtt());
      wo[l] = transposed(layer.wo(), d, d, null);
      if (circulantFfn != null) {
        circulantFfn[l] =
            new CirculantFeedForward(manager, d, h, weights.circulantFfn(), l, layer.rmsFfn());
      } else {
        w13[l] = transposed(concatRows(layer.w1(), layer.w3()), 2 * h, d, layer.rmsFfn());
        w2[l] = transposed(layer.w2(), d, h, null);
      }
    }
    classifier = transposed(weights.classifier(), config.vocabSize(), d, weights.rmsFinal());
    rotary = new RotaryTable(manager, config);
  }

  public LlamaConfig config() {
    return config;
  }

  /** A fresh cache for one sequence of up to {@code capacity} tokens. */
  public ContiguousKvCache newCache(int capacity) {
    return new ContiguousKvCache(manager, config, capacity);
  }

  /**
   * Runs {@code tokens} at positions {@code [start, start + tokens.length)} of one sequence,
   * writing their K/V to {@code cache}, and returns the logits after the last of them. This is the
   * one-sequence reference that {@link PagedForward} is tested against.
   */
  public float[] forward(int[] tokens, int start, KvCache cache) {
    int t = tokens.length;
    if (t == 0) {
      throw new IllegalArgumentException("forward needs at least one token");
    }
    if (start < 0 || start + t > cache.capacity()) {
      throw new IllegalArgumentException(
          "positions ["
              + start
              + ", "
              + (start + t)
              + ") exceed the cache of "
              + cache.capacity()
              + " tokens");
    }
    try (NDManager step = manager.newSubManager()) {
      NDArray x = embed(step, tokens);
      NDArray cos = rotary.cos(step, start, t);
      NDArray sin = rotary.sin(step, start, t);
      NDArray mask = CausalMask.create(step, start, t, config.queriesPerKvHead());
      int length = start + t;
      for (int l = 0; l < config.nLayers(); l++) {
        Qkv qkv = attentionInputs(l, x, cos, sin);
        cache.write(l, start, qkv.k(), qkv.v());
        NDArray att =
            Attention.chunk(
                config,
                qkv.q(),
                cache.keys(l, length, step),
                cache.values(l, length, step),
                mask,
                t);
        x = feedForward(l, attentionOutput(l, x, att));
      }
      return logits(x.get(new NDIndex("{}:{}", t - 1, t))).toFloatArray();
    }
  }

  /**
   * The residual stream entering each layer's feed-forward block, for one sequence from position 0:
   * {@code [layer][token * dim + i]}. These are the inputs on which a replacement feed-forward
   * block (a block-circulant one, say) is distilled from this model's own.
   */
  public float[][] feedForwardInputs(int[] tokens) {
    int t = tokens.length;
    if (t == 0 || t > config.maxSeqLen()) {
      throw new IllegalArgumentException("need 1 to " + config.maxSeqLen() + " tokens, got " + t);
    }
    float[][] out = new float[config.nLayers()][];
    try (NDManager step = manager.newSubManager()) {
      KvCache cache = new ContiguousKvCache(step, config, t);
      NDArray x = embed(step, tokens);
      NDArray cos = rotary.cos(step, 0, t);
      NDArray sin = rotary.sin(step, 0, t);
      NDArray mask = CausalMask.create(step, 0, t, config.queriesPerKvHead());
      for (int l = 0; l < config.nLayers(); l++) {
        Qkv qkv = attentionInputs(l, x, cos, sin);
        cache.write(l, 0, qkv.k(), qkv.v());
        NDArray att =
            Attention.chunk(
                config, qkv.q(), cache.keys(l, t, step), cache.values(l, t, step), mask, t);
        NDArray mid = attentionOutput(l, x, att);
        out[l] = mid.toFloatArray();
        x = feedForward(l, mid);
      }
    }
    return out;
  }

  /**
   * A layer's queries ([N, dim]), keys and values ([N, nKv, hd]) for rows {@code x} at the
   * positions whose rotary cos/sin are given.
   */
  record Qkv(NDArray q, NDArray k, NDArray v) {}

  Qkv attentionInputs(int layer, NDArray x, NDArray cos, NDArray sin) {
    long n = x.getShape().get(0);
    int d = config.dim();
    int kv = config.kvDim();
    NDArray qkv = linear(rmsNorm(x), wqkv[layer]);
    // q and k sit side by side and rotate alike: one rotation for both.
    NDArray qk =
        rotary.apply(
            qkv.get(new NDIndex(":, 0:{}", d + kv)), cos, sin, config.nHeads() + config.nKvHeads());
    Shape kvShape = new Shape(n, config.nKvHeads(), config.headSize());
    return new Qkv(
        qk.get(new NDIndex(":, 0:{}", d)),
        qk.get(new NDIndex(":, {}:", d)).reshape(kvShape),
        qkv.get(new NDIndex(":, {}:", d + kv)).reshape(kvShape));
  }

  /** The residual stream after the attention output projection. */
  NDArray attentionOutput(int layer, NDArray x, NDArray attention) {
    return x.add(linear(attention, wo[layer]));
  }

  /** The residual stream after the layer's SwiGLU feed-forward block. */
  NDArray feedForward(int layer, NDArray x) {
    if (circulantFfn != null) {
      CirculantFeedForward ffn = circulantFfn[layer];
      weightMatmuls += 2;
      NDArray[] gateUp = ffn.gateUp(rmsNorm(x));
      return x.add(ffn.down(swiGlu(gateUp[0], gateUp[1])));
    }
    int h = config.hiddenDim();
    NDArray gateUp = linear(rmsNorm(x), w13[layer]);
    NDArray gate = gateUp.get(new NDIndex(":, 0:{}", h));
    NDArray up = gateUp.get(new NDIndex(":, {}:", h));
    return x.add(linear(swiGlu(gate, up), w2[layer]));
  }

  /** Logits of the given rows of the residual stream: [rows, vocab]. */
  NDArray logits(NDArray rows) {
    return linear(rmsNorm(rows), classifier);
  }

  private static float[] concatRows(float[]... matrices) {
    int total = 0;
    for (float[] m : matrices) {
      total += m.length;
    }
    float[] out = new float[total];
    int at = 0;
    for (float[] m : matrices) {
      System.arraycopy(m, 0, out, at, m.length);
      at += m.length;
    }
    return out;
  }

  /**
   * A projection by one weight matrix ({@code [in, out]}). Every weight multiplication goes through
   * here, so the count proves a step multiplies each weight once, whatever its batch.
   */
  NDArray linear(NDArray x, NDArray weight) {
    weightMatmuls++;
    return x.matMul(weight);
  }

  /** Weight matrix multiplications since this model was created. */
  public long weightMatmuls() {
    return weightMatmuls;
  }

  /** SwiGLU: silu(gate) * up, where silu(z) = z * sigmoid(z). */
  static NDArray swiGlu(NDArray gate, NDArray up) {
    return gate.mul(Activation.sigmoid(gate)).mul(up);
  }

  /**
   * RMSNorm without its weight: the weight is folded into the rows of the projection that follows
   * (see {@link #transposed}), which saves an operation per norm.
   */
  private NDArray rmsNorm(NDArray x) {
    NDArray meanSquare = x.square().mean(new int[] {-1}, true);
    return x.div(meanSquare.add(config.rmsNormEps()).sqrt());
  }

  /** Gathers embedding rows on the host: cheaper than a device gather for a few tokens. */
  NDArray embed(NDManager step, int[] tokens) {
    int d = config.dim();
    float[] rows = new float[tokens.length * d];
    for (int i = 0; i < tokens.length; i++) {
      int id = tokens[i];
      if (id < 0 || id >= config.vocabSize()) {
        throw new IllegalArgumentException(
            "token id " + id + " outside the vocabulary [0, " + config.vocabSize() + ")");
      }
      System.arraycopy(embedding, id * d, rows, i * d, d);
    }
    return step.create(rows, new Shape(tokens.length, d));
  }

  /**
   * Transposes on the host so the engine's copy is contiguous in [in, out] order, scaling input row
   * i by {@code normWeight[i]} when the projection follows an RMSNorm: (x̂ ⊙ w) W = x̂ (diag(w) W).
   */
  private NDArray transposed(float[] outByIn, int out, int in, float[] normWeight) {
    float[] inByOut = new float[outByIn.length];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        float scale = normWeight == null ? 1f : normWeight[i];
        inByOut[i * out + o] = outByIn[o * in + i] * scale;
      }
    }
    return manager.create(inByOut, new Shape(in, out));
  }

  @Override
  public void close() {
    manager.close();
  }
}
