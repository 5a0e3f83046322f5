package dev.weft.trainer.worker;

import java.time.Duration;
import java.util.Random;

/**
 * Injected slowness for heterogeneity studies: a worker with factor f takes f times its measured
 * compute time by sleeping the difference (sleeping, not spinning, so it does not steal a core from
 * the others); with probability p an iteration is further slowed by a transient factor.
 */
public final class SlowdownPolicy {

  private final double factor;
  private final double transientProbability;
  private final double transientFactor;
  private final Random random;

  public SlowdownPolicy(
      double factor, double transientProbability, double transientFactor, long seed) {
    if (!(factor >= 1) || !(transientFactor >= 1)) {
      throw new IllegalArgumentException("slowdown factors must be >= 1");
    }
    if (!(transientProbability >= 0 && transientProbability <= 1)) {
      throw new IllegalArgumentException("transient probability not in [0, 1]");
    }
    this.factor = factor;
    this.transientProbability = transientProbability;
    this.transientFactor = transientFactor;
    this.random = new Random(seed);
  }

  /** How long to sleep after an iteration whose compute took {@code compute}. */
  public Duration extra(Duration compute) {
    double f = factor;
    if (transientProbability > 0 && random.nextDouble() < transientProbability) {
      f *= transientFactor;
    }
    return Duration.ofNanos((long) ((f - 1) * compute.toNanos()));
  }
}
