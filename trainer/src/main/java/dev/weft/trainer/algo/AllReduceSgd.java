package dev.weft.trainer.algo;

import dev.weft.trainer.comm.PeerNetwork;

/**
 * Synchronous data-parallel SGD: gradients are averaged with {@link RingAllReduce} every iteration,
 * so every worker applies the same update and the replicas stay bit-identical — the same as one
 * worker on the concatenated batch.
 */
final class AllReduceSgd implements Algorithm {

  private final AlgorithmConfig config;
  private final PeerNetwork net;
  private final float[] params;
  private final int[] workers;

  AllReduceSgd(AlgorithmConfig config, PeerNetwork net, float[] initial) {
    this.config = config;
    this.net = net;
    this.params = initial.clone();
    this.workers = RingAllReduce.firstRanks(config.workers());
  }

  @Override
  public float[] parameters() {
    return params.clone();
  }

  @Override
  public void step(long iteration, float[] gradient) {
    RingAllReduce.mean(
        net, workers, "ar/" + iteration, gradient, config.chunkElements(), config.timeout());
    Algorithms.sgd(params, gradient, config.learningRate());
  }

  @Override
  public float[] finish() {
    return params.clone();
  }
}
