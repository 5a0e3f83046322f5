package dev.weft.trainer.algo;

/** Tags and shard layout shared by the parameter server and its clients. */
final class PsProtocol {

  /** Rank 0 -> every server: the initial shard. */
  static final String INIT = "ps-init";

  /** Worker -> server: a gradient shard (seq = iteration), or {@link #DONE} with no data. */
  static final String PUSH = "ps-push";

  /** Server -> worker: the updated shard (seq = the iteration it answers). */
  static final String PULL = "ps-pull";

  /** Server -> worker after every worker is done: the final shard. */
  static final String FINAL = "ps-final";

  /** Sequence number of a push that says "this worker is done". */
  static final long DONE = -1;

  private PsProtocol() {}

  /**
   * Start of shard {@code s} of {@code servers} over {@code n} parameters; {@code s = servers}
   * gives n.
   */
  static int shardStart(int n, int servers, int s) {
    return (int) ((long) n * s / servers);
  }
}
