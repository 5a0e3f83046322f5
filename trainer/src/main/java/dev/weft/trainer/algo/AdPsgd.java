package dev.weft.trainer.algo;

import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.TrainingException;
import java.util.Random;

/**
 * AD-PSGD (Lian et al. 2018). Workers form a bipartite graph: even ranks are active, odd ranks
 * passive. An active worker computes a gradient on its (possibly stale) model, then averages its
 * model with a randomly chosen passive worker — the passive side does the averaging atomically
 * under its lock, answering with its pre-average model — and applies the gradient to the averaged
 * model. A passive worker only answers; it applies its own gradients to whatever its model has
 * become. Only actives initiate, so no two averagings can wait on each other: no deadlock. At the
 * end all workers average their models once (ring All-Reduce) for evaluation.
 */
final class AdPsgd implements Algorithm {

  static final String REQUEST = "ad-req";
  static final String REPLY = "ad-rep";
  static final long DONE = -1;

  private final AlgorithmConfig config;
  private final PeerNetwork net;
  private final float[] params;
  private final boolean active;
  private final int[] passives;
  private final int activeCount;
  private final Random random;
  private final Thread responder;
  private volatile RuntimeException responderFailure;

  AdPsgd(AlgorithmConfig config, PeerNetwork net, float[] initial) {
    this.config = config;
    this.net = net;
    this.params = initial.clone();
    int w = config.workers();
    this.active = net.rank() % 2 == 0;
    this.passives = new int[w / 2];
    for (int i = 0; i < passives.length; i++) {
      passives[i] = 2 * i + 1;
    }
    this.activeCount = (w + 1) / 2;
    this.random = new Random(config.seed() * 1_000_003L + net.rank());
    if (!active) {
      responder = net.clock().startThread("adpsgd-responder-" + net.rank(), this::respond);
    } else {
      responder = null;
    }
  }

  @Override
  public float[] parameters() {
    synchronized (params) {
      return params.clone();
    }
  }

  @Override
  public void step(long iteration, float[] gradient) {
    checkResponder();
    if (active && passives.length > 0) {
      int partner = passives[random.nextInt(passives.length)];
      net.send(partner, REQUEST, iteration, params);
      float[] theirs =
          net.receive(partner, REPLY, config.timeout())
              .expectSeq(iteration)
              .expectLength(params.length)
              .data();
      synchronized (params) {
        average(params, theirs);
        Algorithms.sgd(params, gradient, config.learningRate());
      }
    } else {
      synchronized (params) {
        Algorithms.sgd(params, gradient, config.learningRate());
      }
    }
  }

  /** Passive side: answer averaging requests until every active worker is done. */
  private void respond() {
    try {
      int done = 0;
      while (done < activeCount) {
        Message m = net.receiveAny(REQUEST, config.timeout());
        if (m.seq() == DONE) {
          done++;
          continue;
        }
        m.expectLength(params.length);
        float[] before;
        synchronized (params) {
          before = params.clone();
          average(params, m.data());
        }
        net.send(m.from(), REPLY, m.seq(), before);
      }
    } catch (RuntimeException e) {
      responderFailure = e;
    }
  }

  private static void average(float[] mine, float[] theirs) {
    for (int i = 0; i < mine.length; i++) {
      mine[i] = (mine[i] + theirs[i]) * 0.5f;
    }
  }

  private void checkResponder() {
    RuntimeException f = responderFailure;
    if (f != null) {
      throw new TrainingException(
          "rank " + net.rank() + " failed answering averaging: " + f.getMessage(), f);
    }
  }

  @Override
  public float[] finish() {
    if (active) {
      for (int p : passives) {
        net.send(p, REQUEST, DONE, new float[0]);
      }
    } else {
      try {
        net.clock().join(responder, config.timeout().plusSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TrainingException("interrupted waiting for averaging requests to end", e);
      }
      checkResponder();
      if (responder.isAlive()) {
        throw new TrainingException("rank " + net.rank() + ": active workers never finished");
      }
    }
    float[] consensus = parameters();
    RingAllReduce.mean(
        net,
        RingAllReduce.firstRanks(config.workers()),
        "ad-final",
        consensus,
        config.chunkElements(),
        config.timeout());
    return consensus;
  }

  @Override
  public void close() {
    if (responder != null) {
      responder.interrupt();
    }
  }
}
