package dev.weft.accel.circulant.train;

/**
 * One training run.
 *
 * @param method dense, direct block-circulant or ADMM
 * @param k block size (ignored for dense)
 * @param steps total optimizer steps; ADMM splits them by {@code admmSplit}
 * @param learningRate Adam's step size
 * @param seed initialization and batch order
 * @param rho ADMM's initial penalty
 * @param rhoGrowth factor on ρ per ADMM update
 * @param admmInterval steps between ADMM Z/U updates
 * @param admmSplit fractions of the steps for dense pre-training and ADMM (the rest fine-tunes)
 * @param logEvery steps between progress lines
 * @param cosineDecay whether the learning rate decays along a cosine to 1% over each training phase
 *     (dense pre-training, ADMM, fine-tuning, or the whole run) instead of staying fixed
 */
public record TrainConfig(
    CirculantTrainer.Method method,
    int k,
    int steps,
    float learningRate,
    long seed,
    double rho,
    double rhoGrowth,
    int admmInterval,
    double[] admmSplit,
    int logEvery,
    boolean cosineDecay) {

  /** A run with a fixed learning rate. */
  public TrainConfig(
      CirculantTrainer.Method method,
      int k,
      int steps,
      float learningRate,
      long seed,
      double rho,
      double rhoGrowth,
      int admmInterval,
      double[] admmSplit,
      int logEvery) {
    this(
        method,
        k,
        steps,
        learningRate,
        seed,
        rho,
        rhoGrowth,
        admmInterval,
        admmSplit,
        logEvery,
        false);
  }

  public TrainConfig {
    if (method != CirculantTrainer.Method.DENSE && k < 1) {
      throw new IllegalArgumentException("block size k must be >= 1 for " + method + ", got " + k);
    }
    if (steps < 1 || logEvery < 1 || admmInterval < 1) {
      throw new IllegalArgumentException(
          "steps, log interval and ADMM interval must be >= 1: "
              + steps
              + ", "
              + logEvery
              + ", "
              + admmInterval);
    }
    if (!(learningRate > 0) || !(rho > 0) || !(rhoGrowth >= 1)) {
      throw new IllegalArgumentException(
          "learning rate and rho must be > 0 and rho growth >= 1: "
              + learningRate
              + ", "
              + rho
              + ", "
              + rhoGrowth);
    }
    admmSplit = admmSplit.clone();
    if (admmSplit.length != 2
        || admmSplit[0] < 0
        || admmSplit[1] <= 0
        || admmSplit[0] + admmSplit[1] >= 1) {
      throw new IllegalArgumentException(
          "ADMM split needs pre-training and ADMM fractions with ADMM > 0 and a sum < 1");
    }
  }

  /** Defaults for a method, block size, budget and seed. */
  public static TrainConfig of(
      CirculantTrainer.Method method, int k, int steps, float lr, long seed) {
    return new TrainConfig(
        method,
        k,
        steps,
        lr,
        seed,
        0.05,
        1.3,
        Math.max(1, steps / 40),
        new double[] {0.4, 0.4},
        Math.max(1, steps / 10));
  }

  @Override
  public double[] admmSplit() {
    return admmSplit.clone();
  }
}
