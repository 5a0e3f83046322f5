package dev.weft.accel.circulant.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.weft.data.text.CharCorpus;
import java.util.Random;

/**
 * Character-level language modelling (the second TIMIT substitute for E-RNN): windows of {@code
 * length} characters predict the next character at every position. Training windows start at seeded
 * random offsets of the training text; held-out windows tile the held-out text.
 */
public final class CharTask implements Task {

  private final int[] train;
  private final int[] heldOut;
  private final int vocab;
  private final int length;
  private final int batch;
  private final int evalWindows;
  private final long seed;

  /**
   * @param heldOutFraction the tail of the corpus kept for evaluation
   * @param maxEvalWindows at most this many held-out windows (to bound evaluation time)
   */
  public CharTask(
      CharCorpus corpus,
      double heldOutFraction,
      int length,
      int batch,
      int maxEvalWindows,
      long seed) {
    if (length < 1 || batch < 1 || maxEvalWindows < 1) {
      throw new IllegalArgumentException("length, batch and eval windows must be >= 1");
    }
    int[] text = corpus.text();
    int split = (int) (text.length * (1 - heldOutFraction));
    if (split <= length + 1 || text.length - split <= length + 1) {
      throw new IllegalArgumentException(
          "corpus of " + text.length + " characters too short for windows of " + length);
    }
    this.train = java.util.Arrays.copyOfRange(text, 0, split);
    this.heldOut = java.util.Arrays.copyOfRange(text, split, text.length);
    this.vocab = corpus.vocabularySize();
    this.length = length;
    this.batch = batch;
    this.evalWindows = Math.min(maxEvalWindows, (heldOut.length - 1) / length);
    this.seed = seed;
  }

  public int vocabularySize() {
    return vocab;
  }

  @Override
  public Shape inputShape(int n) {
    return new Shape(n, length);
  }

  @Override
  public NDList trainBatch(NDManager manager, int step) {
    Random random = new Random(seed * 1_000_003L + step);
    int[] starts = new int[batch];
    for (int i = 0; i < batch; i++) {
      starts[i] = random.nextInt(train.length - length - 1);
    }
    return windows(manager, train, starts);
  }

  @Override
  public int evalBatches() {
    return (evalWindows + batch - 1) / batch;
  }

  @Override
  public NDList evalBatch(NDManager manager, int i) {
    int n = Math.min(batch, evalWindows - i * batch);
    int[] starts = new int[n];
    for (int j = 0; j < n; j++) {
      starts[j] = (i * batch + j) * length;
    }
    return windows(manager, heldOut, starts);
  }

  /** Predicted training characters over the training text's length. */
  @Override
  public double epochs(long steps) {
    return (double) steps * batch * length / train.length;
  }

  @Override
  public String describe() {
    return String.format(
        "character LM, vocabulary %d, %d training / %d held-out characters (%d evaluated),"
            + " windows of %d, batch %d",
        vocab, train.length, heldOut.length, evalWindows * length, length, batch);
  }

  private NDList windows(NDManager manager, int[] text, int[] starts) {
    float[] x = new float[starts.length * length];
    float[] y = new float[starts.length * length];
    for (int i = 0; i < starts.length; i++) {
      for (int t = 0; t < length; t++) {
        x[i * length + t] = text[starts[i] + t];
        y[i * length + t] = text[starts[i] + t + 1];
      }
    }
    return new NDList(manager.create(x, new Shape(starts.length, length)), manager.create(y));
  }
}
