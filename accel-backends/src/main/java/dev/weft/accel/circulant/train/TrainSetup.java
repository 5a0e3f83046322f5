package dev.weft.accel.circulant.train;

import ai.djl.nn.Block;
import dev.weft.accel.circulant.nn.CirculantModels;
import dev.weft.accel.circulant.nn.CirculantRnn;
import dev.weft.data.mnist.FashionMnist;
import dev.weft.data.mnist.ImageDataset;
import dev.weft.data.text.CharCorpus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * What to train on and with which network, for {@code weft circulant train}.
 *
 * @param kind the network and data
 * @param data Fashion-MNIST folder (image tasks) or text file/folder (character tasks)
 * @param trainSize training examples used (image tasks; a prefix of the training set)
 * @param testSize held-out examples (images) or held-out windows (characters) evaluated
 * @param batch examples per step
 * @param hidden recurrent width (RNN tasks), or the MLP's first hidden layer (the second is half)
 * @param length characters per window (character tasks)
 * @param seed batch order
 */
public record TrainSetup(
    Kind kind,
    Path data,
    int trainSize,
    int testSize,
    int batch,
    int hidden,
    int length,
    long seed) {

  /** Networks and data sets of the study. */
  public enum Kind {
    MLP("mlp"),
    CNN("cnn"),
    SEQ_LSTM("seq-lstm"),
    SEQ_GRU("seq-gru"),
    CHAR_LSTM("char-lstm"),
    CHAR_GRU("char-gru");

    private final String flag;

    Kind(String flag) {
      this.flag = flag;
    }

    public String flag() {
      return flag;
    }

    public static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.flag.equals(s)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown task '" + s + "' (mlp, cnn, seq-lstm, seq-gru, char-lstm, char-gru)");
    }

    /** The width the study uses when none is given: 256 for the MLP, 128 for the RNNs. */
    public int defaultHidden() {
      return this == MLP ? CirculantModels.MLP_HIDDEN : 128;
    }

    boolean characters() {
      return this == CHAR_LSTM || this == CHAR_GRU;
    }

    CirculantRnn.Cell cell() {
      return this == SEQ_GRU || this == CHAR_GRU ? CirculantRnn.Cell.GRU : CirculantRnn.Cell.LSTM;
    }
  }

  public TrainSetup {
    if (trainSize < 1 || testSize < 1 || batch < 1 || hidden < 1 || length < 1) {
      throw new IllegalArgumentException(
          "train size, test size, batch, hidden and length must be >= 1");
    }
    if (kind == Kind.MLP && hidden < 2) {
      throw new IllegalArgumentException(
          "the MLP's --hidden must be >= 2 (its second layer is half)");
    }
  }

  /**
   * The task's name in result tables: the flag, with the width appended when it is not the default
   * (e.g. {@code mlp-h1024}), so rows of differently sized networks are not confused. The CNN has
   * no width option.
   */
  public String label() {
    return kind == Kind.CNN || hidden == kind.defaultHidden()
        ? kind.flag()
        : kind.flag() + "-h" + hidden;
  }

  /** A loaded task and its model factory (block size → model, 0 = dense). */
  public record Loaded(Task task, IntFunction<Block> models) {}

  public Loaded load() throws IOException {
    if (kind.characters()) {
      CharCorpus corpus = CharCorpus.load(data, 20);
      CharTask task = new CharTask(corpus, 0.1, length, batch, testSize, seed);
      int vocab = task.vocabularySize();
      return new Loaded(task, k -> CirculantModels.charModel(kind.cell(), vocab, hidden, k));
    }
    ImageDataset train = FashionMnist.train(data);
    ImageDataset test = FashionMnist.test(data);
    train = train.slice(0, Math.min(trainSize, train.size()));
    test = test.slice(0, Math.min(testSize, test.size()));
    int rows = train.rows();
    int cols = train.cols();
    int classes = train.classes();
    return switch (kind) {
      case MLP ->
          new Loaded(
              new ImageTask(train, test, ImageTask.Layout.FLAT, batch, seed),
              k -> CirculantModels.mlp(rows * cols, hidden, classes, k));
      case CNN ->
          new Loaded(
              new ImageTask(train, test, ImageTask.Layout.IMAGE, batch, seed),
              k -> CirculantModels.cnn(rows, cols, classes, k));
      default ->
          new Loaded(
              new ImageTask(train, test, ImageTask.Layout.ROWS, batch, seed),
              k -> CirculantModels.sequenceClassifier(kind.cell(), cols, hidden, classes, k));
    };
  }
}
