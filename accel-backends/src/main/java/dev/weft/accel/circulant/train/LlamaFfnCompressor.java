package dev.weft.accel.circulant.train;

import ai.djl.ndarray.NDManager;
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
 * data is not available): the dense model samples text, then the whole model is trained at once to
 * match the dense model's next-token distributions on it ({@link EndToEndDistillation}: ADMM toward
 * the block-circulant set, hard projection, fine-tuning of the block vectors with every other
 * tensor still trainable). Held-out loss is measured on further sampled text.
 */
public final class LlamaFfnCompressor {

  /**
   * @param k block size
   * @param trainSequences sampled sequences to distill on
   * @param heldOutSequences further sampled sequences for the held-out loss
   * @param length tokens per sequence (BOS first)
   * @param steps optimizer steps in all: the first half with the ADMM penalty, the rest fine-tuning
   *     after the projection
   * @param batch sequences per step
   * @param learningRate Adam step size
   * @param rho initial ADMM penalty (grows 1.3× per ADMM update, 20 updates)
   * @param seed sampling and batch order
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
      if (k < 1
          || trainSequences < 1
          || heldOutSequences < 1
          || length < 2
          || steps < 2
          || batch < 1) {
        throw new IllegalArgumentException(
            "need k >= 1, sequences >= 1, length >= 2, steps >= 2 and batch >= 1");
      }
    }
  }

  /**
   * @param heldOutLoss mean next-token cross-entropy (nats) on held-out sampled text, per model:
   *     dense, projection only (Π of the dense weights), ADMM + projection + fine-tuning
   * @param log the training progress lines
   */
  public record Result(LlamaWeights compressed, double[] heldOutLoss, List<String> log) {}

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
    List<String> log = new ArrayList<>();
    CirculantTrainer.Progress both =
        line -> {
          log.add(line);
          progress.line(line);
        };
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      List<int[]> train;
      List<int[]> heldOut;
      try (LlamaModel teacher = new LlamaModel(manager, dense)) {
        Random random = new Random(s.seed());
        train = sample(teacher, s.trainSequences(), s.length(), random);
        heldOut = sample(teacher, s.heldOutSequences(), s.length(), random);
      }
      both.line("sampled " + train.size() + " + " + heldOut.size() + " sequences");
      int admm = s.steps() / 2;
      EndToEndDistillation.Settings es =
          new EndToEndDistillation.Settings(
              s.k(),
              admm,
              s.steps() - admm,
              s.batch(),
              s.learningRate(),
              s.rho(),
              1.3,
              Math.max(1, admm / 20),
              s.seed());
      LlamaWeights trained = new EndToEndDistillation(es, both).run(manager, dense, train);
      LlamaWeights compressed = withFfn(trained, projectedFfn(trained, s.k()));
      LlamaWeights projected = withFfn(dense, projectedFfn(dense, s.k()));
      double[] losses = {
        heldOutLoss(manager, dense, heldOut),
        heldOutLoss(manager, projected, heldOut),
        heldOutLoss(manager, compressed, heldOut)
      };
      return new Result(compressed, losses, log);
    }
  }

  /** Π of every layer's w1, w2, w3 (exact for matrices that are block-circulant already). */
  static CirculantFfn projectedFfn(LlamaWeights weights, int k) {
    int d = weights.config().dim();
    int h = weights.config().hiddenDim();
    List<float[]> w1 = new ArrayList<>();
    List<float[]> w2 = new ArrayList<>();
    List<float[]> w3 = new ArrayList<>();
    for (LlamaWeights.Layer layer : weights.layers()) {
      w1.add(CirculantProjection.project(layer.w1(), h, d, k));
      w3.add(CirculantProjection.project(layer.w3(), h, d, k));
      w2.add(CirculantProjection.project(layer.w2(), d, h, k));
    }
    return new CirculantFfn(k, w1, w2, w3);
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
}
