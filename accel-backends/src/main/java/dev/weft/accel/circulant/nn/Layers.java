package dev.weft.accel.circulant.nn;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.XavierInitializer;

/**
 * Builds a weight layer that is dense or block-circulant by one number, so that a model is written
 * once and trained in both forms (and converted from one to the other by projection).
 */
public final class Layers {

  /** The block size that means "dense". */
  public static final int DENSE = 0;

  private Layers() {}

  /** A fully-connected layer: DJL's dense {@link Linear} when k is {@link #DENSE}. */
  public static Block linear(int in, int out, int k) {
    return linear(in, out, k, true);
  }

  /** As {@link #linear(int, int, int)}, with or without a bias. */
  public static Block linear(int in, int out, int k, boolean bias) {
    if (k == DENSE) {
      Linear dense = Linear.builder().setUnits(out).optBias(bias).build();
      dense.setInitializer(new XavierInitializer(), p -> p.getName().equals("weight"));
      return dense;
    }
    return new BlockCirculantLinear(in, out, k, true, bias);
  }
}
