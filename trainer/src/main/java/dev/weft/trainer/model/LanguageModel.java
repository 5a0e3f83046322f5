package dev.weft.trainer.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import dev.weft.engine.forward.Gradients;
import dev.weft.engine.forward.TrainableLlama;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.trainer.lm.TokenWindows;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's Llama ({@link TrainableLlama}, the serving forward's own layer code) seen by the
 * algorithms as one flat float vector, like {@link ClassifierModel}: the vector is copied into the
 * engine's tensors, the next-token cross-entropy is differentiated by DJL's autograd, and the
 * gradient is copied back out.
 */
public final class LanguageModel implements AutoCloseable {

  private final NDManager manager;
  private final TrainableLlama llama;
  private final List<NDArray> params;
  private final ParameterShapes shapes;
  private final Loss loss = Loss.softmaxCrossEntropyLoss();

  public LanguageModel(LlamaWeights weights) {
    this.manager = NDManager.newBaseManager(Device.cpu());
    this.llama = new TrainableLlama(manager, weights);
    this.params = llama.parameters();
    List<long[]> dims = new ArrayList<>();
    for (NDArray p : params) {
      dims.add(p.getShape().getShape());
      p.setRequiresGradient(true);
    }
    this.shapes = new ParameterShapes(llama.names(), dims);
  }

  public LlamaConfig config() {
    return llama.config();
  }

  /** Names and shapes of the parameters, in the order of the flat vector. */
  public ParameterShapes shapes() {
    return shapes;
  }

  public int size() {
    return shapes.totalElements();
  }

  /** The current parameters (at first, the weights this model was built from). */
  public float[] parameters() {
    float[] flat = new float[size()];
    int off = 0;
    for (NDArray p : params) {
      float[] v = p.toFloatArray();
      System.arraycopy(v, 0, flat, off, v.length);
      off += v.length;
    }
    return flat;
  }

  /** Copies the flat vector into the engine's tensors. */
  public void setParameters(float[] flat) {
    if (flat.length != size()) {
      throw new IllegalArgumentException("expected " + size() + " parameters, got " + flat.length);
    }
    int off = 0;
    for (NDArray p : params) {
      int n = (int) p.size();
      p.set(FloatBuffer.wrap(flat, off, n));
      off += n;
    }
  }

  /**
   * Mean next-token cross-entropy over {@code windows} windows ({@code inputs} and {@code targets}
   * hold {@code windows * length} tokens each) and its gradient with respect to {@code flat},
   * written into {@code gradOut}.
   */
  public float lossAndGradient(
      float[] flat, int[] inputs, int[] targets, int windows, float[] gradOut) {
    synchronized (ClassifierModel.AUTOGRAD) {
      setParameters(flat);
      try (NDManager step = manager.newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        // PyTorch accumulates into .grad; each call must see only this batch's gradient.
        Gradients.zero(params);
        NDArray l = loss(step, inputs, targets, windows);
        gc.backward(l);
        int off = 0;
        for (NDArray p : params) {
          try (NDArray g = p.getGradient()) {
            float[] gv = g.toFloatArray();
            System.arraycopy(gv, 0, gradOut, off, gv.length);
            off += gv.length;
          }
        }
        return l.getFloat();
      }
    }
  }

  private NDArray loss(NDManager step, int[] inputs, int[] targets, int windows) {
    NDArray logits = llama.logits(step, inputs, windows, inputs.length / windows);
    NDArray labels = step.create(targets).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
    return loss.evaluate(new NDList(labels), new NDList(logits));
  }

  /**
   * Mean next-token cross-entropy of {@code flat} over every window of {@code data}, {@code batch}
   * windows at a time, without gradients.
   */
  public double meanLoss(float[] flat, TokenWindows data, int batch) {
    if (data.count() == 0) {
      throw new IllegalArgumentException("no windows to evaluate");
    }
    setParameters(flat);
    int t = data.length();
    double sum = 0;
    for (int from = 0; from < data.count(); from += batch) {
      int b = Math.min(batch, data.count() - from);
      int[] inputs = new int[b * t];
      int[] targets = new int[b * t];
      for (int k = 0; k < b; k++) {
        data.copy(from + k, k, inputs, targets);
      }
      try (NDManager step = manager.newSubManager()) {
        sum += (double) loss(step, inputs, targets, b).getFloat() * b;
      }
    }
    return sum / data.count();
  }

  /** {@code flat} as checkpoint weights that the engine serves (see {@link TrainableLlama}). */
  public LlamaWeights weights(float[] flat) {
    setParameters(flat);
    return llama.toWeights();
  }

  @Override
  public void close() {
    llama.close();
    manager.close();
  }
}
