package dev.weft.accel.circulant.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.XavierInitializer;

/**
 * The networks of the accuracy study, each built dense (k = {@link Layers#DENSE}) or with its
 * compressible layers block-circulant. The dense and circulant builds have the same layers in the
 * same order, parameter for parameter, which is what lets ADMM train the dense one and hand its
 * projected weights to the circulant one. As in CirCNN, the first convolution (one input channel)
 * and the small output layer stay dense.
 */
public final class CirculantModels {

  private CirculantModels() {}

  /** The study's MLP width: 784 → 256 → 128 → 10. */
  public static final int MLP_HIDDEN = 256;

  /**
   * inputs → hidden → hidden/2 (both circulant) → classes (dense), ReLU. Input [N, rows·cols]. The
   * study's MLP has {@link #MLP_HIDDEN}.
   */
  public static Block mlp(int inputs, int hidden, int classes, int k) {
    return new SequentialBlock()
        .add(Blocks.batchFlattenBlock())
        .add(Layers.linear(inputs, hidden, k))
        .add(Activation::relu)
        .add(Layers.linear(hidden, hidden / 2, k))
        .add(Activation::relu)
        .add(Layers.linear(hidden / 2, classes, Layers.DENSE));
  }

  /**
   * conv 5×5 1→16 (dense), pool, conv 5×5 16→32 (circulant across channels), pool, FC
   * 32·(r/4)·(c/4) → 128 (circulant), FC 128 → classes (dense). Input [N, 1, rows, cols].
   */
  public static Block cnn(int rows, int cols, int classes, int k) {
    Block conv2 =
        k == Layers.DENSE ? denseConv(32) : new BlockCirculantConv2d(16, 32, 5, 2, k, true);
    return new SequentialBlock()
        .add(denseConv(16))
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(conv2)
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(Blocks.batchFlattenBlock())
        .add(Layers.linear(32 * (rows / 4) * (cols / 4), 128, k))
        .add(Activation::relu)
        .add(Layers.linear(128, classes, Layers.DENSE));
  }

  /** An LSTM or GRU over the rows of an image (one row per time step), then a dense classifier. */
  public static Block sequenceClassifier(
      CirculantRnn.Cell cell, int features, int hidden, int classes, int k) {
    return new SequentialBlock()
        .add(new CirculantRnn(cell, features, hidden, k, false))
        .add(Layers.linear(hidden, classes, Layers.DENSE));
  }

  /**
   * A character-level language model: one-hot characters → LSTM/GRU → dense logits at every step.
   * Input [N, T] character ids (float); output [N·T, vocab].
   */
  public static Block charModel(CirculantRnn.Cell cell, int vocab, int hidden, int k) {
    return new SequentialBlock()
        .add(ids -> new ai.djl.ndarray.NDList(oneHot(ids.singletonOrThrow(), vocab)))
        .add(new CirculantRnn(cell, vocab, hidden, k, true))
        .add(h -> new ai.djl.ndarray.NDList(flattenSteps(h.singletonOrThrow())))
        .add(Layers.linear(hidden, vocab, Layers.DENSE));
  }

  private static NDArray oneHot(NDArray ids, int vocab) {
    return ids.toType(ai.djl.ndarray.types.DataType.INT64, false).oneHot(vocab);
  }

  private static NDArray flattenSteps(NDArray h) {
    Shape s = h.getShape();
    return h.reshape(s.get(0) * s.get(1), s.get(2));
  }

  private static Block denseConv(int filters) {
    Conv2d conv =
        Conv2d.builder()
            .setKernelShape(new Shape(5, 5))
            .optPadding(new Shape(2, 2))
            .setFilters(filters)
            .build();
    conv.setInitializer(new XavierInitializer(), p -> p.getName().equals("weight"));
    return conv;
  }
}
