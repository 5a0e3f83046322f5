package dev.weft.trainer.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.weft.engine.forward.Gradients;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A DJL image classifier seen by the algorithms as one flat float vector of parameters. The
 * algorithms only ever touch {@code float[]}s (so they run unchanged on the simulated transport);
 * this class copies them into the DJL parameters, runs forward/backward and copies the gradient
 * back out. Initialization is done here from a seeded {@link Random}, not by the engine, so every
 * worker starts from bit-identical weights.
 */
public final class ClassifierModel implements AutoCloseable {

  private final ModelKind kind;
  private final int rows;
  private final int cols;
  private final NDManager manager;
  private final Block block;

  /** The block's parameter tensors, in the order of the flat vector. */
  private final List<NDArray> arrays = new ArrayList<>();

  private final ParameterShapes shapes;
  private final Loss loss = Loss.softmaxCrossEntropyLoss();

  /**
   * DJL's PyTorch engine allows one gradient collector per JVM. A worker JVM has one model, but
   * tests run several workers as threads of one JVM, so backward passes take turns.
   */
  static final Object AUTOGRAD = new Object();

  public ClassifierModel(ModelKind kind, int rows, int cols, int classes, long seed) {
    this.kind = kind;
    this.rows = rows;
    this.cols = cols;
    this.manager = NDManager.newBaseManager(Device.cpu());
    this.block = build(kind, classes);
    block.initialize(manager, DataType.FLOAT32, inputShape(1));
    List<long[]> dims = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (var pair : block.getParameters()) {
      Parameter p = pair.getValue();
      arrays.add(p.getArray());
      names.add(pair.getKey());
      dims.add(p.getArray().getShape().getShape());
      p.getArray().setRequiresGradient(true);
    }
    this.shapes = new ParameterShapes(names, dims);
    setParameters(initialParameters(seed));
  }

  private static Block build(ModelKind kind, int classes) {
    SequentialBlock b = new SequentialBlock();
    if (kind == ModelKind.MLP) {
      b.add(Blocks.batchFlattenBlock())
          .add(Linear.builder().setUnits(256).build())
          .add(Activation::relu)
          .add(Linear.builder().setUnits(128).build())
          .add(Activation::relu)
          .add(Linear.builder().setUnits(classes).build());
    } else {
      b.add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
          .add(Activation::relu)
          .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
          .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(32).build())
          .add(Activation::relu)
          .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
          .add(Blocks.batchFlattenBlock())
          .add(Linear.builder().setUnits(classes).build());
    }
    return b;
  }

  private Shape inputShape(int batch) {
    return kind == ModelKind.MLP
        ? new Shape(batch, (long) rows * cols)
        : new Shape(batch, 1, rows, cols);
  }

  public ModelKind kind() {
    return kind;
  }

  /** Names and shapes of the parameters, in the order of the flat vector. */
  public ParameterShapes shapes() {
    return shapes;
  }

  /** Total number of parameters (length of the flat vector). */
  public int size() {
    return shapes.totalElements();
  }

  /**
   * He-uniform weights (fan-in scaled, suited to ReLU) and zero biases, drawn from {@code seed}.
   */
  public float[] initialParameters(long seed) {
    Random rnd = new Random(seed);
    float[] flat = new float[size()];
    int off = 0;
    for (int i = 0; i < arrays.size(); i++) {
      long[] d = shapes.dims().get(i);
      int n = (int) ParameterShapes.elements(d);
      if (d.length > 1) {
        long fanIn = n / d[0];
        double bound = Math.sqrt(6.0 / fanIn);
        for (int j = 0; j < n; j++) {
          flat[off + j] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
      }
      off += n;
    }
    return flat;
  }

  /** Copies the flat vector into the DJL parameters. */
  public void setParameters(float[] flat) {
    if (flat.length != size()) {
      throw new IllegalArgumentException("expected " + size() + " parameters, got " + flat.length);
    }
    int off = 0;
    for (NDArray a : arrays) {
      int n = (int) a.size();
      a.set(FloatBuffer.wrap(flat, off, n));
      off += n;
    }
  }

  /**
   * Mean cross-entropy loss over the batch and its gradient with respect to {@code flat}, written
   * into {@code gradOut}.
   *
   * @param images {@code batch * rows * cols} pixels
   */
  public float lossAndGradient(float[] flat, float[] images, int[] labels, float[] gradOut) {
    synchronized (AUTOGRAD) {
      return lossAndGradientLocked(flat, images, labels, gradOut);
    }
  }

  private float lossAndGradientLocked(float[] flat, float[] images, int[] labels, float[] gradOut) {
    setParameters(flat);
    int batch = labels.length;
    try (NDManager step = manager.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      Gradients.zero(arrays);
      NDArray x = step.create(FloatBuffer.wrap(images, 0, batch * rows * cols), inputShape(batch));
      NDArray y = step.create(labels).toType(DataType.FLOAT32, false);
      ParameterStore store = new ParameterStore(step, false);
      NDList out = block.forward(store, new NDList(x), true);
      NDArray l = loss.evaluate(new NDList(y), out);
      gc.backward(l);
      float value = l.getFloat();
      int off = 0;
      for (NDArray a : arrays) {
        // Each getGradient() is a new handle on the parameter's manager: close it, or the
        // manager keeps every one of them.
        try (NDArray g = a.getGradient()) {
          float[] gv = g.toFloatArray();
          System.arraycopy(gv, 0, gradOut, off, gv.length);
          off += gv.length;
        }
      }
      return value;
    }
  }

  /** Fraction of {@code images} whose arg-max prediction equals the label. */
  public double accuracy(float[] flat, float[] images, int[] labels) {
    setParameters(flat);
    int n = labels.length;
    int px = rows * cols;
    int correct = 0;
    int batch = 1000;
    for (int from = 0; from < n; from += batch) {
      int b = Math.min(batch, n - from);
      try (NDManager step = manager.newSubManager()) {
        NDArray x = step.create(FloatBuffer.wrap(images, from * px, b * px), inputShape(b));
        NDList out = block.forward(new ParameterStore(step, false), new NDList(x), false);
        long[] pred = out.singletonOrThrow().argMax(1).toLongArray();
        for (int i = 0; i < b; i++) {
          if (pred[i] == labels[from + i]) {
            correct++;
          }
        }
      }
    }
    return (double) correct / n;
  }

  @Override
  public void close() {
    manager.close();
  }
}
