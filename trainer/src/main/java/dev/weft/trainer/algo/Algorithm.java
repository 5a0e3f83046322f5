package dev.weft.trainer.algo;

/**
 * A worker's side of a synchronization algorithm. The worker loop is the same for all of them: take
 * {@link #parameters()}, compute a gradient on them, hand it to {@link #step}; at the end {@link
 * #finish()} gives the model to evaluate.
 */
public interface Algorithm extends AutoCloseable {

  /** A snapshot of the parameters to compute the next gradient on. */
  float[] parameters();

  /**
   * Applies this worker's gradient of {@code iteration} (0-based, consecutive), synchronizing with
   * peers as the algorithm requires. May block, never longer than the configured timeout.
   */
  void step(long iteration, float[] gradient);

  /**
   * Ends training: tells peers this worker is done and returns the model to evaluate (the consensus
   * average for decentralized algorithms). Every worker must call it.
   */
  float[] finish();

  @Override
  default void close() {}
}
