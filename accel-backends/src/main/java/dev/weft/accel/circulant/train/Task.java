package dev.weft.accel.circulant.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A supervised data set as the trainer sees it: seeded training batches and fixed held-out batches,
 * each {@code [inputs, integer labels]} (labels flattened to one per prediction row).
 */
public interface Task {

  /** Shape of one input batch of {@code batch} examples (used to initialize a model). */
  Shape inputShape(int batch);

  /** Training batch number {@code step} (deterministic for the task's seed). */
  NDList trainBatch(NDManager manager, int step);

  /** Number of held-out batches. */
  int evalBatches();

  /** Held-out batch {@code i}. */
  NDList evalBatch(NDManager manager, int i);

  /** Passes over the training data that {@code steps} training batches make (NaN if unknown). */
  default double epochs(long steps) {
    return Double.NaN;
  }

  /** A line saying what the data is (for result files). */
  String describe();

  /** The training loss; softmax cross-entropy unless the task says otherwise. */
  default ai.djl.training.loss.Loss loss() {
    return ai.djl.training.loss.Loss.softmaxCrossEntropyLoss();
  }

  /** Whether labels are classes (then accuracy is reported). */
  default boolean classification() {
    return true;
  }
}
