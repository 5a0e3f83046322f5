package dev.weft.accel.circulant.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.Random;

/**
 * Distilling one feed-forward block: inputs are normalized residual-stream rows, labels the teacher
 * block's outputs for them; the loss is the squared error. Training rows are drawn at seeded
 * random; held-out rows are a separate set.
 */
final class FfnDistillTask implements Task {

  private final float[] trainX;
  private final float[] trainY;
  private final float[] testX;
  private final float[] testY;
  private final int dim;
  private final int batch;
  private final long seed;

  FfnDistillTask(
      float[] trainX, float[] trainY, float[] testX, float[] testY, int dim, int batch, long seed) {
    this.trainX = trainX;
    this.trainY = trainY;
    this.testX = testX;
    this.testY = testY;
    this.dim = dim;
    this.batch = batch;
    this.seed = seed;
  }

  @Override
  public Shape inputShape(int n) {
    return new Shape(n, dim);
  }

  @Override
  public NDList trainBatch(NDManager manager, int step) {
    Random random = new Random(seed * 1_000_003L + step);
    int rows = trainX.length / dim;
    float[] x = new float[batch * dim];
    float[] y = new float[batch * dim];
    for (int i = 0; i < batch; i++) {
      int r = random.nextInt(rows);
      System.arraycopy(trainX, r * dim, x, i * dim, dim);
      System.arraycopy(trainY, r * dim, y, i * dim, dim);
    }
    return new NDList(
        manager.create(x, new Shape(batch, dim)), manager.create(y, new Shape(batch, dim)));
  }

  @Override
  public int evalBatches() {
    return 1;
  }

  @Override
  public NDList evalBatch(NDManager manager, int i) {
    int rows = testX.length / dim;
    return new NDList(
        manager.create(testX, new Shape(rows, dim)), manager.create(testY, new Shape(rows, dim)));
  }

  @Override
  public String describe() {
    return (trainX.length / dim) + " training rows, " + (testX.length / dim) + " held-out rows";
  }

  @Override
  public Loss loss() {
    return Loss.l2Loss();
  }

  @Override
  public boolean classification() {
    return false;
  }
}
