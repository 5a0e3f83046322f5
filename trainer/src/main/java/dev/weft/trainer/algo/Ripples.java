package dev.weft.trainer.algo;

import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.ProtocolException;
import java.time.Duration;

/**
 * Ripples (Luo et al., arXiv 1909.08029): after each local SGD update a worker synchronizes with a
 * small group through a Partial All-Reduce (every member ends with the group's mean model, nobody
 * else is touched).
 *
 * <p>Dynamic mode: the worker tells the Group Generator it reached its sync point, then executes
 * the groups of its Group Buffer (the generator's messages to it, in the order sent) until one
 * answers its request. The generator appends each group to all its members' buffers before forming
 * the next, so all workers execute shared groups in one global order and no wait cycle can form.
 *
 * <p>Static mode: iteration k executes this worker's group of partition {@code k mod P} of a
 * precomputed rotating sequence of disjoint partitions; no generator, so every worker must run the
 * same number of iterations.
 */
final class Ripples implements Algorithm {

  private final AlgorithmConfig config;
  private final PeerNetwork net;
  private final float[] params;
  private final int generator;
  private final StaticSchedule schedule;
  private final SyncObserver observer;

  Ripples(AlgorithmConfig config, PeerNetwork net, float[] initial) {
    this(config, net, initial, SyncObserver.NONE);
  }

  Ripples(AlgorithmConfig config, PeerNetwork net, float[] initial, SyncObserver observer) {
    this.config = config;
    this.net = net;
    this.params = initial.clone();
    this.generator = config.workers();
    this.observer = observer;
    RipplesOptions opt = config.ripples();
    this.schedule =
        opt.mode() == RipplesOptions.Mode.STATIC
            ? new StaticSchedule(config.workers(), groupSize(config), config.seed())
            : null;
    observer.entered(net.rank(), 0);
  }

  /** {@code --group-size}, clamped to the number of workers. */
  static int groupSize(AlgorithmConfig config) {
    return Math.min(config.ripples().groupSize(), config.workers());
  }

  @Override
  public float[] parameters() {
    return params.clone();
  }

  @Override
  public void step(long iteration, float[] gradient) {
    Algorithms.sgd(params, gradient, config.learningRate());
    if (schedule != null) {
      int[] members = schedule.groupOf(iteration, net.rank());
      reduce(iteration, members, "rps/" + iteration);
    } else {
      net.send(generator, RipplesProtocol.REQUEST, iteration, new float[0]);
      while (true) {
        RipplesProtocol.Group g = nextGroup();
        if (g == null) {
          throw new ProtocolException(
              "ripples: the group generator ended rank " + net.rank() + " before it finished");
        }
        reduce(g.id(), g.members(), "rp/" + g.id());
        if (g.answers(net.rank())) {
          break;
        }
      }
    }
    observer.entered(net.rank(), iteration + 1);
  }

  /** The head of this worker's Group Buffer, or null at its end. */
  private RipplesProtocol.Group nextGroup() {
    observer.waiting(net.rank(), new int[] {generator}, "the next group of its buffer");
    Message m = net.receive(generator, RipplesProtocol.GROUP, config.timeout());
    return m.seq() == RipplesProtocol.END ? null : RipplesProtocol.Group.decode(m.seq(), m.data());
  }

  private void reduce(long id, int[] members, String tag) {
    observer.waiting(net.rank(), members, "the partial all-reduce of group " + id);
    partialAllReduce(net, members, tag, params, config.chunkElements(), config.timeout());
    observer.reduced(net.rank(), id, members);
  }

  /**
   * Partial All-Reduce: replaces {@code params} on every member of {@code members} with the
   * members' element-wise mean (bit-identical on all of them); other ranks take no part.
   */
  static void partialAllReduce(
      PeerNetwork net, int[] members, String tag, float[] params, int chunk, Duration timeout) {
    RingAllReduce.mean(net, members, tag, params, chunk, timeout);
  }

  @Override
  public float[] finish() {
    observer.finishing(net.rank());
    if (schedule == null) {
      net.send(generator, RipplesProtocol.REQUEST, RipplesProtocol.DONE, new float[0]);
      RipplesProtocol.Group g;
      while ((g = nextGroup()) != null) {
        reduce(g.id(), g.members(), "rp/" + g.id());
      }
    }
    observer.waiting(net.rank(), RingAllReduce.firstRanks(config.workers()), "final consensus");
    float[] consensus = params.clone();
    RingAllReduce.mean(
        net,
        RingAllReduce.firstRanks(config.workers()),
        "rp-final",
        consensus,
        config.chunkElements(),
        config.timeout());
    observer.done(net.rank());
    return consensus;
  }
}
