package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Gradient bookkeeping for tensors trained through DJL's PyTorch autograd. */
public final class Gradients {

  private Gradients() {}

  /**
   * Zeroes the gradients accumulated in {@code params} (PyTorch adds every backward pass into a
   * tensor's gradient). Not DJL's {@code GradientCollector.zeroGradients()}: that walks every array
   * of the engine and leaves two gradient handles behind per parameter and call, so the parameters'
   * manager grows by that much every step (44 arrays per stories260K step, counted) and each call
   * walks a longer list than the last.
   */
  public static void zero(List<NDArray> params) {
    for (NDArray p : params) {
      if (p.hasGradient()) {
        try (NDArray g = p.getGradient()) {
          g.subi(g);
        }
      }
    }
  }
}
