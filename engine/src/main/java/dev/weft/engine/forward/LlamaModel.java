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
 * SwiGLU → residual; final RMSNorm and the classifier.
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
  final NDArray[] rmsAtt;
  final NDArray[] wq;
  final NDArray[] wk;
  final NDArray[] wv;
  final NDArray[] wo;
  final NDArray[] rmsFfn;
  final NDArray[] w1;
  final NDArray[] w2;
  final NDArray[] w3;
  final NDArray rmsFinal;
  final NDArray classifier;
  final RotaryTable rotary;
  private long weightMatmuls;

  /** Copies host weights into a new manager under {@code parent}. */
  public LlamaModel(NDManager parent, LlamaWeights weights) {
    this.config = weights.config();
    this.manager = parent.newSubManager();
    int d = config.dim();
    int kv = config.kvDim();
    int h = config.hiddenDim();
    int n = config.nLayers();
    this.embedding = weights.tokenEmbedding();
    rmsAtt = new NDArray[n];
    wq = new NDArray[n];
    wk = new NDArray[n];
    wv = new NDArray[n];
    wo = new NDArray[n];
    rmsFfn = new NDArray[n];
    w1 = new NDArray[n];
    w2 = new NDArray[n];
    w3 = new NDArray[n];
    for (int l = 0; l < n; l++) {
      LlamaWeights.Layer layer = weights.layers().get(l);
      rmsAtt[l] = manager.create(layer.rmsAtt());
      wq[l] = transposed(layer.wq(), d, d);
      wk[l] = transposed(layer.wk(), kv, d);
      wv[l] = transposed(layer.wv(), kv, d);
      wo[l] = transposed(layer.wo(), d, d);
      rmsFfn[l] = manager.create(layer.rmsFfn());
      w1[l] = transposed(layer.w1(), h, d);
      w2[l] = transposed(layer.w2(), d, h);
      w3[l] = transposed(layer.w3(), h, d);
    }
    rmsFinal = manager.create(weights.rmsFinal());
    classifier = transposed(weights.classifier(), config.vocabSize(), d);
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
   * writing their K/V to {@code cache}, and returns the logits after the last of them.
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
      for (int l = 0; l < config.nLayers(); l++) {
        NDArray xb = rmsNorm(x, rmsAtt[l]);
        NDArray q = rotary.apply(linear(xb, wq[l]), cos, sin, config.nHeads());
        NDArray k = rotary.apply(linear(xb, wk[l]), cos, sin, config.nKvHeads());
        NDArray v = linear(xb, wv[l]);
        Shape kvShape = new Shape(t, config.nKvHeads(), config.headSize());
        cache.write(l, start, k.reshape(kvShape), v.reshape(kvShape));
        int length = start + t;
        NDArray att =
            Attention.chunk(
                config, q, cache.keys(l, length, step), cache.values(l, length, step), mask, t);
        x = x.add(linear(att, wo[l]));
        xb = rmsNorm(x, rmsFfn[l]);
        NDArray gate = linear(xb, w1[l]);
        NDArray up = linear(xb, w3[l]);
        x = x.add(linear(swiGlu(gate, up), w2[l]));
      }
      NDArray last = x.get(new NDIndex("{}:{}", t - 1, t));
      return linear(rmsNorm(last, rmsFinal), classifier).toFloatArray();
    }
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

  NDArray rmsNorm(NDArray x, NDArray weight) {
    NDArray meanSquare = x.square().mean(new int[] {-1}, true);
    return x.div(meanSquare.add(config.rmsNormEps()).sqrt()).mul(weight);
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

  /** Transposes on the host so the engine's copy is contiguous in [in, out] order. */
  private NDArray transposed(float[] outByIn, int out, int in) {
    float[] inByOut = new float[outByIn.length];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        inByOut[i * out + o] = outByIn[o * in + i];
      }
    }
    return manager.create(inByOut, new Shape(in, out));
  }

  @Override
  public void close() {
    manager.close();
  }
}
