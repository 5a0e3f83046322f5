package dev.weft.accel.circulant.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.weft.data.mnist.ImageDataset;
import java.util.Random;

/**
 * Image classification batches from an {@link ImageDataset}: flat vectors (MLP), one-channel images
 * (CNN) or rows as time steps (sequential Fashion-MNIST, the TIMIT substitute for E-RNN). Each
 * epoch visits the training images in a fresh seeded order.
 */
public final class ImageTask implements Task {

  /** How an image is fed to the model. */
  public enum Layout {
    FLAT,
    IMAGE,
    ROWS
  }

  private final ImageDataset train;
  private final ImageDataset test;
  private final Layout layout;
  private final int batch;
  private final long seed;
  private int[] order;
  private int orderEpoch = -1;

  public ImageTask(ImageDataset train, ImageDataset test, Layout layout, int batch, long seed) {
    if (batch < 1 || batch > train.size()) {
      throw new IllegalArgumentException(
          "batch " + batch + " must be in [1, " + train.size() + "] (the training images)");
    }
    this.train = train;
    this.test = test;
    this.layout = layout;
    this.batch = batch;
    this.seed = seed;
  }

  @Override
  public Shape inputShape(int n) {
    return switch (layout) {
      case FLAT -> new Shape(n, (long) train.imageSize());
      case IMAGE -> new Shape(n, 1, train.rows(), train.cols());
      case ROWS -> new Shape(n, train.rows(), train.cols());
    };
  }

  @Override
  public NDList trainBatch(NDManager manager, int step) {
    int perEpoch = train.size() / batch;
    int epoch = step / perEpoch;
    if (epoch != orderEpoch) {
      order = permutation(train.size(), new Random(seed * 1_000_003L + epoch));
      orderEpoch = epoch;
    }
    int from = (step % perEpoch) * batch;
    int[] idx = new int[batch];
    System.arraycopy(order, from, idx, 0, batch);
    return gather(manager, train, idx);
  }

  @Override
  public int evalBatches() {
    return (test.size() + 999) / 1000;
  }

  @Override
  public NDList evalBatch(NDManager manager, int i) {
    int from = i * 1000;
    int n = Math.min(1000, test.size() - from);
    int[] idx = new int[n];
    for (int j = 0; j < n; j++) {
      idx[j] = from + j;
    }
    return gather(manager, test, idx);
  }

  @Override
  public double epochs(long steps) {
    return (double) steps * batch / train.size();
  }

  @Override
  public String describe() {
    return String.format(
        "Fashion-MNIST, %d training / %d held-out images, %s layout, batch %d",
        train.size(), test.size(), layout, batch);
  }

  private NDList gather(NDManager manager, ImageDataset data, int[] idx) {
    int px = data.imageSize();
    float[] x = new float[idx.length * px];
    float[] y = new float[idx.length];
    float[] pixels = data.pixels();
    int[] labels = data.labels();
    for (int i = 0; i < idx.length; i++) {
      System.arraycopy(pixels, idx[i] * px, x, i * px, px);
      y[i] = labels[idx[i]];
    }
    return new NDList(manager.create(x, inputShape(idx.length)), manager.create(y));
  }

  static int[] permutation(int n, Random random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
