package dev.weft.trainer.algo;

import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.PeerTimeoutException;
import dev.weft.trainer.comm.PeerUnreachableException;
import dev.weft.trainer.comm.TrainingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger log = LoggerFactory.getLogger(AdPsgd.class);

  static final String REQUEST = "ad-req";
  static final String REPLY = "ad-rep";
  static final String FIN = "ad-fin";
  static final long DONE = -1;

  private final AlgorithmConfig config;
  private final PeerNetwork net;
  private final float[] params;
  private final boolean active;
  private final int[] passives;
  private final Random random;
  private final Thread responder;
  private final Set<Integer> lost = ConcurrentHashMap.newKeySet();
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
    int partner = active ? choosePartner() : -1;
    if (partner >= 0) {
      float[] theirs = null;
      try {
        net.send(partner, REQUEST, iteration, params);
        theirs = awaitReply(partner, iteration);
      } catch (PeerUnreachableException | PeerTimeoutException e) {
        // The partner died (or hangs): carry on without it, as AD-PSGD allows.
        lost.add(partner);
        log.warn("rank {} drops partner {}: {}", net.rank(), partner, e.getMessage());
      }
      synchronized (params) {
        if (theirs != null) {
          average(params, theirs);
        }
        Algorithms.sgd(params, gradient, config.learningRate());
      }
    } else {
      synchronized (params) {
        Algorithms.sgd(params, gradient, config.learningRate());
      }
    }
  }

  /** {@code partner}'s reply to this iteration's request (see {@link #receiveUnlessDead}). */
  private float[] awaitReply(int partner, long iteration) {
    Message m = receiveUnlessDead(partner, REPLY);
    if (m == null) {
      throw new PeerUnreachableException(
          "rank " + partner + " was reported dead while rank " + net.rank() + " awaited its reply");
    }
    return m.expectSeq(iteration).expectLength(params.length).data();
  }

  /**
   * {@code from}'s next message of {@code tag}, or null once the coordinator reports {@code from}
   * dead. Waits in short slices, so that a death reported meanwhile ends the wait at once instead
   * of after the whole timeout (a killed partner never answers, and waiting the timeout out also
   * starves the passives waiting on this worker).
   *
   * @throws PeerTimeoutException when {@code from}, still alive, sent nothing for the whole timeout
   */
  private Message receiveUnlessDead(int from, String tag) {
    long slice = Math.min(config.timeout().toNanos(), Duration.ofSeconds(1).toNanos());
    long waited = 0;
    while (true) {
      try {
        return net.receive(from, tag, Duration.ofNanos(slice));
      } catch (PeerTimeoutException e) {
        waited += slice;
        if (net.deadPeers().contains(from)) {
          return null;
        }
        if (waited >= config.timeout().toNanos()) {
          throw e;
        }
      }
    }
  }

  /** A random live passive worker, or -1 when none is left. */
  private int choosePartner() {
    if (passives.length == 0) {
      return -1;
    }
    int p = passives[random.nextInt(passives.length)];
    if (!gone(p)) {
      return p;
    }
    List<Integer> live = new ArrayList<>();
    for (int q : passives) {
      if (!gone(q)) {
        live.add(q);
      }
    }
    return live.isEmpty() ? -1 : live.get(random.nextInt(live.size()));
  }

  private boolean gone(int rank) {
    return lost.contains(rank) || net.deadPeers().contains(rank);
  }

  /**
   * Passive side: answer averaging requests until every active worker is done or dead. Waits in
   * short slices so that a death reported meanwhile ends the wait for that worker.
   */
  private void respond() {
    try {
      Set<Integer> done = new HashSet<>();
      long idleNanos = 0;
      long slice = Math.min(config.timeout().toNanos(), Duration.ofSeconds(1).toNanos());
      while (!allActivesDone(done)) {
        Message m;
        try {
          m = net.receiveAny(REQUEST, Duration.ofNanos(slice));
        } catch (PeerTimeoutException e) {
          idleNanos += slice;
          if (idleNanos >= config.timeout().toNanos()) {
            throw e;
          }
          continue;
        }
        idleNanos = 0;
        if (m.seq() == DONE) {
          done.add(m.from());
          continue;
        }
        m.expectLength(params.length);
        float[] before;
        synchronized (params) {
          before = params.clone();
          average(params, m.data());
        }
        try {
          net.send(m.from(), REPLY, m.seq(), before);
        } catch (PeerUnreachableException e) {
          log.warn("rank {}: requester {} is gone: {}", net.rank(), m.from(), e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      responderFailure = e;
    }
  }

  private boolean allActivesDone(Set<Integer> done) {
    for (int a = 0; a < config.workers(); a += 2) {
      if (!done.contains(a) && !net.deadPeers().contains(a)) {
        return false;
      }
    }
    return true;
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
        if (!gone(p)) {
          try {
            net.send(p, REQUEST, DONE, new float[0]);
          } catch (PeerUnreachableException e) {
            lost.add(p);
          }
        }
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
        net, survivors(), "ad-final", consensus, config.chunkElements(), config.timeout());
    return consensus;
  }

  /**
   * The workers that take part in the final average. Every worker that gets here tells every other
   * ({@link #FIN}) and waits for each one's word until that worker's stream breaks or the
   * coordinator reports it dead. A worker that died before finishing is thus left out by every
   * survivor alike, however late each learns of the death; going by each survivor's own view of the
   * dead instead, a survivor that finished before the coordinator's report reached it ran the final
   * ring over a different set of workers than its neighbours, and the ring failed.
   */
  private int[] survivors() {
    for (int r = 0; r < config.workers(); r++) {
      if (r != net.rank() && !net.deadPeers().contains(r)) {
        try {
          net.send(r, FIN, 0, new float[0]);
        } catch (PeerUnreachableException e) {
          // Dead: it will not wait for our word either.
        }
      }
    }
    return IntStream.range(0, config.workers())
        .filter(r -> r == net.rank() || finished(r))
        .toArray();
  }

  /** Whether worker {@code r} reached the end ({@code false}: it died before). */
  private boolean finished(int r) {
    try {
      // What a worker sent before dying is still delivered, so its word wins over its death.
      return receiveUnlessDead(r, FIN) != null;
    } catch (PeerUnreachableException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (responder != null) {
      responder.interrupt();
    }
  }
}
