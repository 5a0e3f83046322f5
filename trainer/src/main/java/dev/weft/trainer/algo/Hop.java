package dev.weft.trainer.algo;

import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;

/**
 * Hop (Luo et al., ASPLOS'19): decentralized SGD on a graph where each worker averages its model
 * with its neighbours' latest updates, with queue-based synchronization instead of a global
 * barrier.
 *
 * <p>Each iteration k: apply the local gradient; push the model, tagged k, into every neighbour's
 * update queue; wait until fresh updates (sent at iteration {@code >= k - staleness}) are at hand
 * from all but {@code backup} neighbours; average with every fresh one; then put a token into every
 * neighbour's token queue saying how many iterations this worker has done. Before entering
 * iteration k a worker takes a token from each neighbour showing it has entered iteration {@code >=
 * k - maxGap}, so no worker is ever more than maxGap iterations ahead of a neighbour. With skipping
 * on, a worker that finds itself more than {@code skip} iterations behind its furthest neighbour
 * jumps its iteration counter forward (never past what its gap allows).
 *
 * <p>Deadlock freedom: the worker with the lowest iteration m never waits on a token (every
 * neighbour has entered m or later and told it so), and every neighbour has already pushed an
 * update tagged {@code >= m} (updates are pushed before any wait), so it always finishes its
 * iteration. A finished worker pushes a final update and token that count as fresh forever.
 */
final class Hop implements Algorithm {

  static final String UPDATE = "hop-upd";
  static final String TOKEN = "hop-tok";

  /** Iteration of a finished worker's last update and token: ahead of everything. */
  static final long FINISHED = Long.MAX_VALUE / 4;

  private final AlgorithmConfig config;
  private final HopOptions opt;
  private final PeerNetwork net;
  private final float[] params;
  private final int[] neighbours;

  /** Freshest update from each neighbour (by neighbour index), and its iteration. */
  private final float[][] latest;

  private final long[] latestIteration;

  /** Iterations each neighbour has entered, as far as its tokens and updates tell. */
  private final long[] entered;

  private final SyncObserver observer;

  /** This worker's iteration counter (jumps forward when skipping). */
  private long iteration;

  Hop(AlgorithmConfig config, PeerNetwork net, float[] initial) {
    this(config, net, initial, SyncObserver.NONE);
  }

  Hop(AlgorithmConfig config, PeerNetwork net, float[] initial, SyncObserver observer) {
    this.config = config;
    this.opt = config.hop();
    this.net = net;
    this.params = initial.clone();
    this.observer = observer;
    this.neighbours =
        Topology.of(opt.topology(), config.workers(), opt.degree(), config.seed())
            .neighbours(net.rank());
    this.latest = new float[neighbours.length][];
    this.latestIteration = new long[neighbours.length];
    java.util.Arrays.fill(latestIteration, -1);
    this.entered = new long[neighbours.length];
    observer.entered(net.rank(), 0);
  }

  @Override
  public float[] parameters() {
    return params.clone();
  }

  /** This worker's iteration counter. */
  long iteration() {
    return iteration;
  }

  @Override
  public void step(long ignoredLoopIteration, float[] gradient) {
    long k = iteration;
    Algorithms.sgd(params, gradient, config.learningRate());
    for (int to : neighbours) {
      net.send(to, UPDATE, k, params);
    }
    drain();
    int need = Math.max(0, neighbours.length - opt.backup());
    while (fresh(k) < need) {
      observer.waiting(
          net.rank(), staleRanks(k), "updates of iteration >= " + (k - opt.staleness()));
      accept(net.receiveAny(UPDATE, config.timeout()));
    }
    average(k);
    observer.averaged(net.rank(), k, freshRanks(k));
    long next = k + 1;
    if (opt.skip() > 0) {
      next = skipTarget(next);
    }
    waitForTokens(next);
    iteration = next;
    observer.entered(net.rank(), next);
    for (int to : neighbours) {
      net.send(to, TOKEN, next, new float[0]);
    }
  }

  /** Takes in every update and token already delivered. */
  private void drain() {
    for (int i = 0; i < neighbours.length; i++) {
      Message m;
      while ((m = Inbox.poll(net, neighbours[i], UPDATE)) != null) {
        accept(m);
      }
      while ((m = Inbox.poll(net, neighbours[i], TOKEN)) != null) {
        entered[i] = Math.max(entered[i], m.seq());
      }
    }
  }

  private void accept(Message m) {
    int i = indexOf(m.from());
    if (m.seq() >= latestIteration[i]) {
      latest[i] = m.expectLength(params.length).data();
      latestIteration[i] = m.seq();
    }
    entered[i] = Math.max(entered[i], m.seq());
  }

  private int fresh(long k) {
    int n = 0;
    for (int i = 0; i < neighbours.length; i++) {
      n += isFresh(i, k) ? 1 : 0;
    }
    return n;
  }

  private boolean isFresh(int i, long k) {
    return latestIteration[i] >= 0 && latestIteration[i] >= k - opt.staleness();
  }

  private int[] freshRanks(long k) {
    return java.util.stream.IntStream.range(0, neighbours.length)
        .filter(i -> isFresh(i, k))
        .map(i -> neighbours[i])
        .toArray();
  }

  private int[] staleRanks(long k) {
    return java.util.stream.IntStream.range(0, neighbours.length)
        .filter(i -> !isFresh(i, k))
        .map(i -> neighbours[i])
        .toArray();
  }

  /** Uniform average of this model and every fresh neighbour update. */
  private void average(long k) {
    int count = 1;
    for (int i = 0; i < neighbours.length; i++) {
      if (isFresh(i, k)) {
        float[] u = latest[i];
        for (int p = 0; p < params.length; p++) {
          params[p] += u[p];
        }
        count++;
      }
    }
    if (count > 1) {
      float inv = 1f / count;
      for (int p = 0; p < params.length; p++) {
        params[p] *= inv;
      }
    }
  }

  /**
   * Where a worker that has fallen behind jumps to: its furthest running neighbour's iteration, but
   * no further than its slowest running neighbour's plus the gap (so it never blocks on tokens
   * because of the jump).
   */
  private long skipTarget(long next) {
    long max = -1;
    long min = Long.MAX_VALUE;
    for (long e : entered) {
      if (e < FINISHED) {
        max = Math.max(max, e);
        min = Math.min(min, e);
      }
    }
    if (max < 0 || max - next <= opt.skip()) {
      return next;
    }
    long target = Math.min(max, min + opt.maxGap());
    if (target > next) {
      observer.skipped(net.rank(), next, target);
      return target;
    }
    return next;
  }

  /** Blocks until every neighbour has entered iteration {@code >= next - maxGap}. */
  private void waitForTokens(long next) {
    for (int i = 0; i < neighbours.length; i++) {
      while (entered[i] < next - opt.maxGap()) {
        observer.waiting(
            net.rank(),
            new int[] {neighbours[i]},
            "a token to enter iteration " + next + " (max gap " + opt.maxGap() + ")");
        Message m = net.receive(neighbours[i], TOKEN, config.timeout());
        entered[i] = Math.max(entered[i], m.seq());
      }
    }
  }

  private int indexOf(int rank) {
    for (int i = 0; i < neighbours.length; i++) {
      if (neighbours[i] == rank) {
        return i;
      }
    }
    throw new dev.weft.trainer.comm.ProtocolException(
        "hop: rank " + net.rank() + " got an update from rank " + rank + ", not a neighbour");
  }

  @Override
  public float[] finish() {
    observer.finishing(net.rank());
    for (int to : neighbours) {
      net.send(to, UPDATE, FINISHED, params);
      net.send(to, TOKEN, FINISHED, new float[0]);
    }
    observer.waiting(net.rank(), RingAllReduce.firstRanks(config.workers()), "final consensus");
    float[] consensus = params.clone();
    RingAllReduce.mean(
        net,
        RingAllReduce.firstRanks(config.workers()),
        "hop-final",
        consensus,
        config.chunkElements(),
        config.timeout());
    observer.done(net.rank());
    return consensus;
  }
}
