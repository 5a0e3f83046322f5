package dev.weft.trainer.algo;

import dev.weft.trainer.comm.PeerNetwork;

/** Builds a worker's algorithm, or runs a server process's loop. */
public final class Algorithms {

  private Algorithms() {}

  /** The worker side of {@code config.kind()}, starting from {@code initial} parameters. */
  public static Algorithm worker(AlgorithmConfig config, PeerNetwork net, float[] initial) {
    if (net.rank() >= config.workers()) {
      throw new IllegalArgumentException("rank " + net.rank() + " is not a worker");
    }
    return switch (config.kind()) {
      case ALLREDUCE -> new AllReduceSgd(config, net, initial);
      case PS -> new ParameterServerClient(config, net, initial);
      case ADPSGD -> new AdPsgd(config, net, initial);
      case HOP -> new Hop(config, net, initial);
      case RIPPLES -> new Ripples(config, net, initial);
    };
  }

  /**
   * Runs server process {@code net.rank()} until every worker is done: a parameter-server shard, or
   * Ripples' Group Generator.
   */
  public static void runServer(AlgorithmConfig config, PeerNetwork net) {
    if (config.kind() == AlgorithmKind.RIPPLES) {
      new GroupGenerator(config, net).run();
    } else {
      new ParameterServer(config, net).run();
    }
  }

  /** {@code x -= lr * g}. */
  static void sgd(float[] x, float[] g, float lr) {
    for (int i = 0; i < x.length; i++) {
      x[i] -= lr * g[i];
    }
  }
}
