package dev.weft.trainer.algo;

import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.ForwardingPeerNetwork;
import dev.weft.trainer.comm.LocalNetwork;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.sim.NetworkModel;
import dev.weft.trainer.sim.SimulatedNetwork;
import dev.weft.trainer.sim.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs Hop or Ripples workers (and the Group Generator) as threads over a {@link LocalNetwork} with
 * injected compute delays and send jitter, watching for hangs: a run that does not finish in time
 * fails with the wait-for chains of {@link WaitForGraph}.
 */
final class SyncHarness {

  /** Per-run knobs. */
  record Run(
      AlgorithmConfig config,
      long[] iterations,
      long[] computeMicros,
      long sendJitterMicros,
      Duration watchdog,
      SyncObserver extra) {}

  private SyncHarness() {}

  static List<float[]> run(Run run, float[][] init) throws Exception {
    AlgorithmConfig c = run.config();
    WaitForGraph waits = new WaitForGraph(c.workers());
    SyncObserver obs = both(waits, run.extra());
    LocalNetwork local = new LocalNetwork(c.processes(), Clock.system());
    ExecutorService pool = Executors.newFixedThreadPool(c.processes());
    try {
      List<Future<float[]>> fs = new ArrayList<>();
      for (int r = 0; r < c.processes(); r++) {
        PeerNetwork net = jittered(local.peer(r), run.sendJitterMicros(), c.seed() * 131 + r);
        fs.add(pool.submit(() -> rank(run, net, init, obs)));
      }
      long deadline = System.nanoTime() + run.watchdog().toNanos();
      List<float[]> out = new ArrayList<>();
      for (Future<float[]> f : fs) {
        try {
          out.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          throw new AssertionError(
              "run hung ("
                  + c.kind().cliName()
                  + ", "
                  + c.workers()
                  + " workers, seed "
                  + c.seed()
                  + "); wait-for chains:\n"
                  + waits.describe());
        }
      }
      return out.subList(0, c.workers());
    } finally {
      pool.shutdownNow();
    }
  }

  private static float[] rank(Run run, PeerNetwork net, float[][] init, SyncObserver obs)
      throws Exception {
    AlgorithmConfig c = run.config();
    int r = net.rank();
    if (r >= c.workers()) {
      Algorithms.runServer(c, net);
      return null;
    }
    Algorithm a =
        c.kind() == AlgorithmKind.HOP
            ? new Hop(c, net, init[r], obs)
            : new Ripples(c, net, init[r], obs);
    for (long it = 0; it < run.iterations()[r]; it++) {
      float[] g = AlgorithmsTest.gradient(a.parameters(), r);
      net.clock().sleep(Duration.ofNanos(run.computeMicros()[r] * 1000));
      a.step(it, g);
    }
    return a.finish();
  }

  /**
   * The same run on the simulated transport: virtual time, so compute and jitter cost no real time
   * and every run is deterministic. A hang shows as a receive timing out in virtual time; the
   * failure then carries the wait-for chains.
   */
  static List<float[]> runSimulated(Run run, float[][] init, NetworkModel model) {
    AlgorithmConfig c = run.config();
    WaitForGraph waits = new WaitForGraph(c.workers());
    SyncObserver obs = both(waits, run.extra());
    VirtualScheduler clock = new VirtualScheduler();
    SimulatedNetwork network = new SimulatedNetwork(c.processes(), clock, model);
    float[][] out = new float[c.processes()][];
    for (int r = 0; r < c.processes(); r++) {
      int rank = r;
      PeerNetwork net = jittered(network.peer(r), run.sendJitterMicros(), c.seed() * 131 + r);
      clock.spawn(
          "rank-" + r,
          () -> {
            try {
              out[rank] = rank(run, net, init, obs);
            } catch (Exception e) {
              throw new RuntimeException(e);
            }
          });
    }
    List<String> errors;
    try {
      errors = clock.run();
    } catch (RuntimeException e) {
      errors = List.of(String.valueOf(e.getMessage()));
    }
    if (!errors.isEmpty()) {
      throw new AssertionError(
          "simulated run failed ("
              + c.kind().cliName()
              + ", "
              + c.workers()
              + " workers, seed "
              + c.seed()
              + "): "
              + errors.get(0)
              + "\nwait-for chains:\n"
              + waits.describe());
    }
    return Arrays.asList(out).subList(0, c.workers());
  }

  static SyncObserver both(SyncObserver a, SyncObserver b) {
    return new SyncObserver() {
      @Override
      public void entered(int rank, long iteration) {
        a.entered(rank, iteration);
        b.entered(rank, iteration);
      }

      @Override
      public void waiting(int rank, int[] on, String what) {
        a.waiting(rank, on, what);
        b.waiting(rank, on, what);
      }

      @Override
      public void averaged(int rank, long iteration, int[] with) {
        a.averaged(rank, iteration, with);
        b.averaged(rank, iteration, with);
      }

      @Override
      public void skipped(int rank, long from, long to) {
        a.skipped(rank, from, to);
        b.skipped(rank, from, to);
      }

      @Override
      public void reduced(int rank, long id, int[] members) {
        a.reduced(rank, id, members);
        b.reduced(rank, id, members);
      }

      @Override
      public void finishing(int rank) {
        a.finishing(rank);
        b.finishing(rank);
      }

      @Override
      public void done(int rank) {
        a.done(rank);
        b.done(rank);
      }
    };
  }

  /** Sleeps a random 0..maxMicros before each send (in order, so per-tag FIFO is kept). */
  static PeerNetwork jittered(PeerNetwork inner, long maxMicros, long seed) {
    if (maxMicros <= 0) {
      return inner;
    }
    Random rnd = new Random(seed);
    return new ForwardingPeerNetwork(inner) {
      @Override
      public void send(int to, String tag, long seq, float[] data, int offset, int length) {
        long us;
        synchronized (rnd) {
          us = (long) (rnd.nextDouble() * maxMicros);
        }
        try {
          inner.clock().sleep(Duration.ofNanos(us * 1000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        inner.send(to, tag, seq, data, offset, length);
      }
    };
  }
}
