package dev.weft.accel.circulant.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.weft.engine.forward.Gradients;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Trains a dense or block-circulant model three ways (CirCNN / E-RNN): {@link Method#DENSE} and
 * {@link Method#DIRECT} train the model as built for the whole step budget; {@link Method#ADMM}
 * splits it into dense pre-training, ADMM toward the block-circulant set, hard projection and
 * fine-tuning of the circulant model. Adam, softmax cross-entropy, one gradient collector at a time
 * (DJL's PyTorch engine allows one per JVM).
 */
public final class CirculantTrainer {

  /** How the block-circulant weights are obtained. */
  public enum Method {
    DENSE,
    DIRECT,
    ADMM
  }

  /** Receives progress lines. */
  public interface Progress {
    void line(String text);
  }

  private static final Object AUTOGRAD = new Object();

  private final TrainConfig config;
  private final Task task;
  private final Progress progress;

  public CirculantTrainer(TrainConfig config, Task task, Progress progress) {
    this.config = config;
    this.task = task;
    this.progress = progress;
  }

  /**
   * Trains per the config and evaluates on the held-out batches.
   *
   * @param build the model for a block size (0 = dense)
   */
  public TrainResult run(NDManager manager, IntFunction<Block> build) {
    return run(manager, build, dense -> {});
  }

  /**
   * As {@link #run(NDManager, IntFunction)}; {@code denseStart} may overwrite the dense model's
   * initial weights (to compress a trained model rather than train one).
   */
  public TrainResult run(
      NDManager manager, IntFunction<Block> build, java.util.function.Consumer<Block> denseStart) {
    long start = System.nanoTime();
    Engine.getInstance().setRandomSeed((int) config.seed());
    int steps = config.steps();
    Block model;
    Double afterProjection = null;
    double gap = Double.NaN;
    switch (config.method()) {
      case DENSE -> {
        model = init(manager, build.apply(0));
        denseStart.accept(model);
        fit(manager, model, 0, steps, null);
      }
      case DIRECT -> {
        model = init(manager, build.apply(config.k()));
        fit(manager, model, 0, steps, null);
      }
      case ADMM -> {
        int pre = (int) Math.round(steps * config.admmSplit()[0]);
        int admmSteps = (int) Math.round(steps * config.admmSplit()[1]);
        int tune = steps - pre - admmSteps;
        Block dense = init(manager, build.apply(0));
        denseStart.accept(dense);
        if (pre > 0) {
          fit(manager, dense, 0, pre, null);
        }
        model = init(manager, build.apply(config.k()));
        List<Compression.Pair> pairs = Compression.pairs(dense, model);
        try (Admm admm = new Admm(manager, pairs, config.rho(), config.rhoGrowth())) {
          gap = fit(manager, dense, pre, admmSteps, admm);
        }
        Compression.project(pairs);
        afterProjection = evaluate(manager, model)[task.classification() ? 1 : 0];
        progress.line(
            String.format(
                "hard projection: held-out %s %.4g (ADMM left ||W - Z||/||W|| = %.4f)",
                task.classification() ? "accuracy" : "loss", afterProjection, gap));
        fit(manager, model, pre + admmSteps, tune, null);
      }
      default -> throw new IllegalStateException(config.method().toString());
    }
    double[] eval = evaluate(manager, model);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new TrainResult(
        config,
        eval[0],
        eval[1],
        afterProjection,
        gap,
        Compression.parameterCount(model),
        seconds,
        model);
  }

  private Block init(NDManager manager, Block block) {
    block.initialize(manager, DataType.FLOAT32, task.inputShape(2));
    block.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
    return block;
  }

  /** Trains {@code steps} steps; returns ADMM's last relative gap (NaN without ADMM). */
  private double fit(NDManager manager, Block model, int firstStep, int steps, Admm admm) {
    Tracker rate =
        config.cosineDecay()
            ? Tracker.cosine()
                .setBaseValue(config.learningRate())
                .optFinalValue(config.learningRate() / 100)
                .setMaxUpdates(steps)
                .build()
            : Tracker.fixed(config.learningRate());
    Optimizer adam = Optimizer.adam().optLearningRateTracker(rate).build();
    List<Parameter> params = new ArrayList<>();
    model.getParameters().forEach(p -> params.add(p.getValue()));
    List<NDArray> arrays = params.stream().map(Parameter::getArray).toList();
    double gap = Double.NaN;
    double smoothed = Double.NaN;
    for (int s = 0; s < steps; s++) {
      int step = firstStep + s;
      synchronized (AUTOGRAD) {
        try (NDManager scope = manager.newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          Gradients.zero(arrays);
          NDList batch = task.trainBatch(scope, step);
          NDList out =
              model.forward(new ParameterStore(scope, false), new NDList(batch.get(0)), true);
          NDArray loss = task.loss().evaluate(new NDList(batch.get(1)), out);
          float value = loss.getFloat();
          if (admm != null) {
            loss = loss.add(admm.penalty(scope));
          }
          gc.backward(loss);
          for (Parameter p : params) {
            // getGradient() hands out a new array in the parameter's (long-lived) manager each
            // call; left open, they pile up in it for the whole run.
            NDArray grad = p.getArray().getGradient();
            grad.attach(scope);
            adam.update(p.getId(), p.getArray(), grad);
          }
          smoothed = Double.isNaN(smoothed) ? value : 0.95 * smoothed + 0.05 * value;
        }
      }
      if (admm != null && (s + 1) % config.admmInterval() == 0) {
        gap = admm.update();
      }
      if ((step + 1) % config.logEvery() == 0) {
        progress.line(
            String.format(
                "step %d/%d loss %.4f%s",
                step + 1,
                config.steps(),
                smoothed,
                admm == null ? "" : String.format(" admm gap %.4f", gap)));
      }
    }
    return admm == null ? gap : admm.update();
  }

  /** [mean held-out loss, held-out accuracy]. */
  double[] evaluate(NDManager manager, Block model) {
    double loss = 0;
    long correct = 0;
    long rows = 0;
    for (int i = 0; i < task.evalBatches(); i++) {
      try (NDManager scope = manager.newSubManager()) {
        NDList batch = task.evalBatch(scope, i);
        NDArray logits =
            model.forward(new ParameterStore(scope, false), new NDList(batch.get(0)), false).head();
        NDArray labels = batch.get(1);
        long n = logits.getShape().get(0);
        loss += task.loss().evaluate(new NDList(labels), new NDList(logits)).getFloat() * n;
        if (!task.classification()) {
          rows += n;
          continue;
        }
        correct +=
            logits
                .argMax(1)
                .toType(DataType.INT64, false)
                .eq(labels.toType(DataType.INT64, false))
                .sum()
                .getLong();
        rows += n;
      }
    }
    return new double[] {loss / rows, task.classification() ? (double) correct / rows : Double.NaN};
  }
}
