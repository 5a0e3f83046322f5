package dev.weft.accel.circulant.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.weft.accel.circulant.nn.BlockCirculantLinear;
import dev.weft.accel.circulant.nn.SwiGluFfn;
import dev.weft.engine.forward.ContiguousKvCache;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.model.CirculantFfn;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes a Llama model's feed-forward matrices block-circulant by self-distillation (its training
 * data is not available): the dense model samples text; each layer's feed-forward block is then
 * trained by E-RNN's ADMM — starting from the dense weights, pulled toward the block-circulant set
 * while matching the dense block's outputs on that text — hard-projected and fine-tuned. Layers are
 * distilled on the dense model's own activations (teacher forcing).
 */
public final class LlamaFfnCompressor {

  /**
   * @param k block size
   * @param trainSequences sampled sequences to distill on
   * @param heldOutSequences further sampled sequences for the held-out loss
   * @param length tokens per sequence (BOS first)
   * @param steps optimizer steps per layer (ADMM, then fine-tuning)
   */
  public record Settings(
      int k,
      int trainSequences,
      int heldOutSequences,
      int length,
      int steps,
      int batch,
      float learningRate,
      double rho,
      long seed) {
    public Settings {
      if (k < 1 || trainSequences < 1 || heldOutSequences < 1 || length < 2 || steps < 5) {
        throw new IllegalArgumentException(
            "need k >= 1, sequences >= 1, length >= 2 and steps >= 5");
      }
    }
  }

  /**
   * @param heldOutLoss mean next-token cross-entropy (nats) on held-out sampled text, per model:
   *     dense, projection only (Π of the dense weights), ADMM + fine-tuning
   */
  public record Result(LlamaWeights compressed, double[] heldOutLoss, List<String> layerLines) {}

  private static final int BOS = 1;

  private LlamaFfnCompressor() {}

  public static Result compress(
      LlamaWeights dense, Settings s, CirculantTrainer.Progress progress) {
    LlamaConfig c = dense.config();
    dense.requireDenseFfn("compression");
    if (s.length() > c.maxSeqLen()) {
      throw new IllegalArgumentException(
          "sequence length " + s.length() + " exceeds the model's " + c.maxSeqLen());
    }
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      List<int[]> train;
      List<int[]> heldOut;
      float[][] inputs;
      try (LlamaModel teacher = new LlamaModel(manager, dense)) {
        Random random = new Random(s.seed());
        train = sample(teacher, s.trainSequences(), s.length(), random);
        heldOut = sample(teacher, s.heldOutSequences(), s.length(), random);
        progress.line("sampled " + train.size() + " + " + heldOut.size() + " sequences");
        inputs = stackInputs(teacher, train, c);
      }
      int d = c.dim();
      int h = c.hiddenDim();
      List<float[]> w1 = new ArrayList<>();
      List<float[]> w2 = new ArrayList<>();
      List<float[]> w3 = new ArrayList<>();
      List<float[]> p1 = new ArrayList<>();
      List<float[]> p2 = new ArrayList<>();
      List<float[]> p3 = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      for (int l = 0; l < c.nLayers(); l++) {
        LlamaWeights.Layer layer = dense.layers().get(l);
        float[] x = normalize(inputs[l], layer.rmsFfn(), c);
        int rows = x.length / d;
        int heldRows = Math.max(1, rows / 10);
        float[] y = teacherOutputs(manager, layer, x, d, h);
        int split = (rows - heldRows) * d;
        FfnDistillTask task =
            new FfnDistillTask(
                java.util.Arrays.copyOfRange(x, 0, split),
                java.util.Arrays.copyOfRange(y, 0, split),
                java.util.Arrays.copyOfRange(x, split, x.length),
                java.util.Arrays.copyOfRange(y, split, y.length),
                d,
                s.batch(),
                s.seed() + l);
        TrainConfig tc =
            new TrainConfig(
                CirculantTrainer.Method.ADMM,
                s.k(),
                s.steps(),
                s.learningRate(),
                s.seed() + l,
                s.rho(),
                1.3,
                Math.max(1, s.steps() / 30),
                new double[] {0, 0.7},
                Math.max(1, s.steps() / 5));
        int layerIndex = l;
        TrainResult r =
            new CirculantTrainer(
                    tc, task, line -> progress.line("layer " + layerIndex + ": " + line))
                .run(manager, k -> new SwiGluFfn(d, h, k), block -> setDense(block, layer));
        Block[] parts = ((SwiGluFfn) r.model()).layers();
        w1.add(blocks(parts[0]));
        w3.add(blocks(parts[1]));
        w2.add(blocks(parts[2]));
        p1.add(CirculantProjection.project(layer.w1(), h, d, s.k()));
        p3.add(CirculantProjection.project(layer.w3(), h, d, s.k()));
        p2.add(CirculantProjection.project(layer.w2(), d, h, s.k()));
        double energy = meanSquare(java.util.Arrays.copyOfRange(y, split, y.length)) / 2;
        String line =
            String.format(
                "layer %d: held-out distillation loss %.3g (teacher output energy %.3g, %d rows)",
                l, r.evalLoss(), energy, rows);
        lines.add(line);
        progress.line(line);
      }
      LlamaWeights compressed = withFfn(dense, new CirculantFfn(s.k(), w1, w2, w3));
      LlamaWeights projected = withFfn(dense, new CirculantFfn(s.k(), p1, p2, p3));
      double[] losses = {
        heldOutLoss(manager, dense, heldOut),
        heldOutLoss(manager, projected, heldOut),
        heldOutLoss(manager, compressed, heldOut)
      };
      return new Result(compressed, losses, lines);
    }
  }

  /** The same weights with block-circulant feed-forward matrices. */
  static LlamaWeights withFfn(LlamaWeights dense, CirculantFfn ffn) {
    List<LlamaWeights.Layer> layers = new ArrayList<>();
    float[] none = new float[0];
    for (LlamaWeights.Layer l : dense.layers()) {
      layers.add(
          new LlamaWeights.Layer(
              l.rmsAtt(), l.wq(), l.wk(), l.wv(), l.wo(), l.rmsFfn(), none, none, none));
    }
    return new LlamaWeights(
        dense.config(), dense.tokenEmbedding(), layers, dense.rmsFinal(), dense.classifier(), ffn);
  }

  /** Sequences sampled at temperature 1 from {@code model}, each starting with BOS. */
  public static List<int[]> sample(LlamaModel model, int count, int length, Random random) {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int[] seq = new int[length];
      seq[0] = BOS;
      ContiguousKvCache cache = model.newCache(length);
      for (int t = 1; t < length; t++) {
        float[] logits = model.forward(new int[] {seq[t - 1]}, t - 1, cache);
        seq[t] = draw(logits, random);
      }
      out.add(seq);
    }
    return out;
  }

  /** Mean next-token cross-entropy of {@code weights} on the sequences. */
  public static double heldOutLoss(NDManager parent, LlamaWeights weights, List<int[]> seqs) {
    double total = 0;
    long count = 0;
    try (LlamaModel model = new LlamaModel(parent, weights)) {
      for (int[] seq : seqs) {
        ContiguousKvCache cache = model.newCache(seq.length);
        for (int t = 1; t < seq.length; t++) {
          float[] logits = model.forward(new int[] {seq[t - 1]}, t - 1, cache);
          total += logSumExp(logits) - logits[seq[t]];
          count++;
        }
      }
    }
    return total / count;
  }

  private static float[][] stackInputs(LlamaModel teacher, List<int[]> seqs, LlamaConfig c) {
    float[][] out = new float[c.nLayers()][];
    int per = seqs.get(0).length * c.dim();
    for (int l = 0; l < c.nLayers(); l++) {
      out[l] = new float[per * seqs.size()];
    }
    for (int i = 0; i < seqs.size(); i++) {
      float[][] layers = teacher.feedForwardInputs(seqs.get(i));
      for (int l = 0; l < c.nLayers(); l++) {
        System.arraycopy(layers[l], 0, out[l], i * per, per);
      }
    }
    return out;
  }

  /** RMSNorm with the layer's weight, on the host: the feed-forward block's actual input. */
  private static float[] normalize(float[] x, float[] weight, LlamaConfig c) {
    int d = c.dim();
    float[] out = new float[x.length];
    for (int r = 0; r < x.length / d; r++) {
      double ms = 0;
      for (int i = 0; i < d; i++) {
        ms += (double) x[r * d + i] * x[r * d + i];
      }
      double scale = 1 / Math.sqrt(ms / d + c.rmsNormEps());
      for (int i = 0; i < d; i++) {
        out[r * d + i] = (float) (x[r * d + i] * scale * weight[i]);
      }
    }
    return out;
  }

  private static float[] teacherOutputs(
      NDManager parent, LlamaWeights.Layer layer, float[] x, int d, int h) {
    try (NDManager m = parent.newSubManager()) {
      SwiGluFfn ffn = new SwiGluFfn(d, h, 0);
      ffn.initialize(
          m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, d));
      setDense(ffn, layer);
      NDArray in = m.create(x, new ai.djl.ndarray.types.Shape(x.length / d, d));
      return ffn.forward(new ParameterStore(m, false), new NDList(in), false).head().toFloatArray();
    }
  }

  private static void setDense(Block block, LlamaWeights.Layer layer) {
    Block[] parts = ((SwiGluFfn) block).layers();
    parts[0].getParameters().get("weight").getArray().set(layer.w1());
    parts[1].getParameters().get("weight").getArray().set(layer.w3());
    parts[2].getParameters().get("weight").getArray().set(layer.w2());
  }

  private static float[] blocks(Block b) {
    return ((BlockCirculantLinear) b).blocks().getArray().toFloatArray();
  }

  private static int draw(float[] logits, Random random) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      sum += p[i];
    }
    double u = random.nextDouble() * sum;
    for (int i = 0; i < p.length; i++) {
      u -= p[i];
      if (u <= 0) {
        return i;
      }
    }
    return p.length - 1;
  }

  private static double logSumExp(float[] v) {
    double max = Double.NEGATIVE_INFINITY;
    for (float x : v) {
      max = Math.max(max, x);
    }
    double s = 0;
    for (float x : v) {
      s += Math.exp(x - max);
    }
    return max + Math.log(s);
  }

  private static double meanSquare(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return s / v.length;
  }
}
