package dev.weft.accel.circulant.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.weft.engine.forward.Gradients;
import dev.weft.engine.forward.TrainableLlama;
import dev.weft.engine.model.LlamaWeights;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Self-distillation of a whole Llama model toward block-circulant feed-forward matrices, all layers
 * at once: the student (a {@link TrainableLlama}, every tensor trainable) minimizes the KL
 * divergence from the dense teacher's next-token distributions on text the teacher sampled. First
 * E-RNN's ADMM — the feed-forward matrices are pulled toward the block-circulant set by (ρ/2)‖W − Z
 * + U‖² with Z ← Π(W + U), U ← U + W − Z every few steps and ρ growing — then the hard projection,
 * then fine-tuning in which the feed-forward weights are the block vectors themselves (their
 * gradient sums the dense gradient along each wrapped diagonal) while the other tensors keep
 * training densely.
 */
final class EndToEndDistillation {

  /**
   * @param k block size
   * @param admmSteps optimizer steps with the ADMM penalty
   * @param fineTuneSteps optimizer steps after the projection
   * @param windows sequences per step
   * @param learningRate Adam step size
   * @param rho initial ADMM penalty
   * @param rhoGrowth ρ factor per ADMM update
   * @param admmEvery steps between ADMM updates
   * @param seed batch order
   */
  record Settings(
      int k,
      int admmSteps,
      int fineTuneSteps,
      int windows,
      double learningRate,
      double rho,
      double rhoGrowth,
      int admmEvery,
      long seed) {
    Settings {
      if (k < 1 || admmSteps < 0 || fineTuneSteps < 0 || windows < 1 || admmEvery < 1) {
        throw new IllegalArgumentException(
            "need k >= 1, steps >= 0, windows >= 1 and admmEvery >= 1");
      }
    }
  }

  private final Settings s;
  private final CirculantTrainer.Progress progress;

  EndToEndDistillation(Settings s, CirculantTrainer.Progress progress) {
    this.s = s;
    this.progress = progress;
  }

  /**
   * The student after training, as a dense-layout checkpoint (norms folded, see {@link
   * TrainableLlama#toWeights}) whose feed-forward matrices are exactly block-circulant.
   */
  LlamaWeights run(NDManager parent, LlamaWeights dense, List<int[]> train) {
    int length = train.get(0).length;
    try (NDManager m = parent.newSubManager();
        TrainableLlama teacher = new TrainableLlama(m, dense);
        TrainableLlama student = new TrainableLlama(m, dense)) {
      List<NDArray> params = student.parameters();
      float[][] values = new float[params.size()][];
      AdamState[] adam = new AdamState[params.size()];
      for (int i = 0; i < params.size(); i++) {
        params.get(i).setRequiresGradient(true);
        values[i] = params.get(i).toFloatArray();
        adam[i] = new AdamState(values[i].length);
      }
      List<FfnRegion> regions = FfnRegion.of(student);
      float[][] z = new float[regions.size()][];
      float[][] u = new float[regions.size()][];
      for (int r = 0; r < regions.size(); r++) {
        FfnRegion g = regions.get(r);
        z[r] = g.project(g.extract(values[g.parameter()]), s.k());
        u[r] = new float[g.size()];
      }
      float[][] blocks = new float[regions.size()][];
      AdamState[] blockAdam = new AdamState[regions.size()];
      double rho = s.rho();
      Random random = new Random(s.seed());
      double recent = 0;
      int total = s.admmSteps() + s.fineTuneSteps();
      for (int step = 0; step < total; step++) {
        boolean fineTune = step >= s.admmSteps();
        if (step == s.admmSteps()) {
          progress.line(
              String.format(
                  Locale.ROOT,
                  "projection after %d ADMM steps: gap %.3f",
                  step,
                  gap(regions, values)));
          for (int r = 0; r < regions.size(); r++) {
            FfnRegion g = regions.get(r);
            float[] region = g.extract(values[g.parameter()]);
            blocks[r] = CirculantProjection.project(region, g.rows(), g.count(), s.k());
            blockAdam[r] = new AdamState(blocks[r].length);
            g.insert(
                values[g.parameter()],
                CirculantProjection.expand(blocks[r], g.rows(), g.count(), s.k()));
          }
        }
        upload(params, values);
        int[] tokens = batch(train, random);
        float[][] grads = new float[params.size()][];
        recent += klAndGradients(m, teacher, student, tokens, length, grads);
        for (int i = 0; i < params.size(); i++) {
          float[] gi = grads[i];
          for (int r = 0; r < regions.size(); r++) {
            FfnRegion g = regions.get(r);
            if (g.parameter() != i) {
              continue;
            }
            float[] w = g.extract(values[i]);
            float[] gr = g.extract(gi);
            if (fineTune) {
              blockAdam[r].step(
                  blocks[r],
                  CirculantProjection.blockGradient(gr, g.rows(), g.count(), s.k()),
                  s.learningRate());
              g.insert(
                  values[i], CirculantProjection.expand(blocks[r], g.rows(), g.count(), s.k()));
              g.insert(gi, new float[g.size()]); // the block step above already moved these
            } else {
              for (int j = 0; j < gr.length; j++) {
                gr[j] += (float) (rho * (w[j] - z[r][j] + u[r][j]));
              }
              g.insert(gi, gr);
            }
          }
          if (fineTune) {
            stepOutsideRegions(i, regions, adam[i], values[i], gi, s.learningRate());
          } else {
            adam[i].step(values[i], gi, s.learningRate());
          }
        }
        if (!fineTune && (step + 1) % s.admmEvery() == 0) {
          for (int r = 0; r < regions.size(); r++) {
            FfnRegion g = regions.get(r);
            float[] w = g.extract(values[g.parameter()]);
            float[] wu = new float[w.length];
            for (int j = 0; j < w.length; j++) {
              wu[j] = w[j] + u[r][j];
            }
            z[r] = g.project(wu, s.k());
            for (int j = 0; j < w.length; j++) {
              u[r][j] += w[j] - z[r][j];
            }
          }
          rho *= s.rhoGrowth();
        }
        int every = Math.max(1, total / 20);
        if ((step + 1) % every == 0) {
          progress.line(
              String.format(
                  Locale.ROOT,
                  "step %d/%d (%s): KL %.4f nats/token, feed-forward gap to the set %.3f",
                  step + 1,
                  total,
                  fineTune ? "fine-tune" : "ADMM",
                  recent / every,
                  gap(regions, values)));
          recent = 0;
        }
      }
      upload(params, values);
      return student.toWeights();
    }
  }

  /** Adam on the entries of parameter i outside any feed-forward region (those moved already). */
  private static void stepOutsideRegions(
      int i, List<FfnRegion> regions, AdamState adam, float[] values, float[] grad, double lr) {
    float[] before = values.clone();
    adam.step(values, grad, lr);
    for (FfnRegion g : regions) {
      if (g.parameter() == i) {
        g.insert(values, g.extract(before));
      }
    }
  }

  /** KL(teacher ‖ student) per token, with the student's gradients written into grads. */
  private static double klAndGradients(
      NDManager m,
      TrainableLlama teacher,
      TrainableLlama student,
      int[] tokens,
      int length,
      float[][] grads) {
    List<NDArray> params = student.parameters();
    try (NDManager step = m.newSubManager()) {
      NDArray logP = teacher.logits(step, tokens, tokens.length / length, length).logSoftmax(1);
      NDArray p = logP.exp();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        Gradients.zero(params);
        NDArray logQ = student.logits(step, tokens, tokens.length / length, length).logSoftmax(1);
        // The divisor as a tensor in step, not div(int): autograd keeps it for the backward pass,
        // and the scalar DJL makes for div(int) is closed (and later freed) before that.
        NDArray kl = p.mul(logP.sub(logQ)).sum().div(step.create((float) tokens.length));
        gc.backward(kl);
        for (int i = 0; i < params.size(); i++) {
          try (NDArray g = params.get(i).getGradient()) {
            grads[i] = g.toFloatArray();
          }
        }
        return kl.getFloat();
      }
    }
  }

  private int[] batch(List<int[]> train, Random random) {
    int length = train.get(0).length;
    int[] tokens = new int[s.windows() * length];
    for (int w = 0; w < s.windows(); w++) {
      System.arraycopy(train.get(random.nextInt(train.size())), 0, tokens, w * length, length);
    }
    return tokens;
  }

  private static void upload(List<NDArray> params, float[][] values) {
    for (int i = 0; i < params.size(); i++) {
      params.get(i).set(FloatBuffer.wrap(values[i]));
    }
  }

  /** ‖W − Π(W)‖ / ‖W‖ over every feed-forward region. */
  private double gap(List<FfnRegion> regions, float[][] values) {
    double diff = 0;
    double norm = 0;
    for (FfnRegion g : regions) {
      float[] w = g.extract(values[g.parameter()]);
      float[] p = g.project(w, s.k());
      for (int j = 0; j < w.length; j++) {
        diff += (double) (w[j] - p[j]) * (w[j] - p[j]);
        norm += (double) w[j] * w[j];
      }
    }
    return norm == 0 ? 0 : Math.sqrt(diff / norm);
  }
}
