package dev.weft.trainer.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.LocalNetwork;
import dev.weft.trainer.comm.PeerTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class AlgorithmsTest {

  static AlgorithmConfig config(AlgorithmKind kind, int workers, int servers, boolean async) {
    return new AlgorithmConfig(kind, workers, servers, async, 0.1f, 3, Duration.ofSeconds(20), 42);
  }

  @Test
  void ringAllReduceSumsExactlyForAnySizeAndChunking() throws Exception {
    for (int n = 1; n <= 5; n++) {
      for (int len : new int[] {1, 3, 7, 64, 1001}) {
        int size = n;
        float[][] in = new float[n][len];
        float[] expected = new float[len];
        Random r = new Random(n * 31L + len);
        for (int k = 0; k < n; k++) {
          for (int i = 0; i < len; i++) {
            in[k][i] = r.nextInt(100);
            expected[i] += in[k][i];
          }
        }
        LocalNetwork local = new LocalNetwork(n, Clock.system());
        List<float[]> out =
            Cluster.run(
                local::peer,
                n,
                net -> {
                  float[] buf = in[net.rank()].clone();
                  RingAllReduce.sum(
                      net, RingAllReduce.firstRanks(size), "t", buf, 5, Duration.ofSeconds(10));
                  return buf;
                });
        for (float[] o : out) {
          assertThat(o).containsExactly(expected);
        }
      }
    }
  }

  @Test
  void eachWorkerSendsTwoTimesNMinusOneOverNOfTheBuffer() throws Exception {
    int n = 4;
    int len = 4000;
    LocalNetwork local = new LocalNetwork(n, Clock.system());
    List<Long> bytes =
        Cluster.run(
            local::peer,
            n,
            net -> {
              RingAllReduce.sum(
                  net,
                  RingAllReduce.firstRanks(n),
                  "t",
                  new float[len],
                  100,
                  Duration.ofSeconds(10));
              return net.bytesSent();
            });
    assertThat(bytes).containsOnly(4L * len * 2 * (n - 1) / n);
  }

  /** Worker w's gradient at x: x - target_w; the optimum of the sum is the targets' mean. */
  static float[] gradient(float[] x, int w) {
    float[] g = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      g[i] = x[i] - (w + i);
    }
    return g;
  }

  static List<float[]> train(AlgorithmConfig c, int iterations, float[][] init) throws Exception {
    LocalNetwork local = new LocalNetwork(c.processes(), Clock.system());
    return Cluster.run(
        local::peer,
        c.processes(),
        net -> {
          if (net.rank() >= c.workers()) {
            Algorithms.runServer(c, net);
            return null;
          }
          try (Algorithm a = Algorithms.worker(c, net, init[net.rank()])) {
            for (int it = 0; it < iterations; it++) {
              float[] g = gradient(a.parameters(), net.rank());
              // A millisecond of "compute" keeps the workers' speeds comparable, as in real
              // training; with none, asynchronous workers run in bursts and drift apart.
              Thread.sleep(1);
              a.step(it, g);
            }
            return a.finish();
          }
        });
  }

  static float[][] same(int workers, float[] x) {
    float[][] init = new float[workers][];
    for (int w = 0; w < workers; w++) {
      init[w] = x.clone();
    }
    return init;
  }

  @Test
  void syncParameterServerMatchesAllReduceForAnyShardCount() throws Exception {
    float[] x0 = {5, -3, 2, 0, 1, 7, -1};
    List<float[]> ar = train(config(AlgorithmKind.ALLREDUCE, 3, 0, false), 10, same(3, x0));
    for (int servers = 1; servers <= 3; servers++) {
      List<float[]> ps = train(config(AlgorithmKind.PS, 3, servers, false), 10, same(3, x0));
      for (int w = 0; w < 3; w++) {
        for (int i = 0; i < x0.length; i++) {
          assertThat(ps.get(w)[i]).isCloseTo(ar.get(0)[i], Offset.offset(1e-5f));
        }
      }
    }
  }

  @Test
  void everyAlgorithmConvergesToTheMeanOfTheTargets() throws Exception {
    float[] x0 = new float[5];
    for (AlgorithmConfig c :
        new AlgorithmConfig[] {
          config(AlgorithmKind.ALLREDUCE, 4, 0, false), config(AlgorithmKind.PS, 4, 2, false),
        }) {
      List<float[]> out = train(c, 200, same(c.workers(), x0));
      float meanTarget = (c.workers() - 1) / 2f;
      for (int w = 0; w < c.workers(); w++) {
        for (int i = 0; i < x0.length; i++) {
          assertThat(out.get(w)[i])
              .as(c + " worker " + w + " i " + i)
              .isCloseTo(meanTarget + i, Offset.offset(0.2f));
        }
      }
    }
  }

  @Test
  void adPsgdWorkersStartingApartConvergeTogether() throws Exception {
    // Asynchronous: where models settle with different per-worker objectives depends on the
    // workers' relative speeds (thread scheduling here), so this checks the full loop (averaging,
    // then the gradient on the averaged model, then the final consensus) on one shared objective
    // from far-apart starts. The averaging alone is checked exactly by the test below.
    for (int workers : new int[] {3, 4}) {
      AlgorithmConfig c = config(AlgorithmKind.ADPSGD, workers, 0, false);
      float[][] init = new float[workers][];
      for (int w = 0; w < workers; w++) {
        init[w] = new float[] {10f * w, -10f * w, 5};
      }
      LocalNetwork local = new LocalNetwork(workers, Clock.system());
      List<float[]> out =
          Cluster.run(
              local::peer,
              workers,
              net -> {
                try (Algorithm a = Algorithms.worker(c, net, init[net.rank()])) {
                  for (int it = 0; it < 150; it++) {
                    float[] g = gradient(a.parameters(), 0);
                    Thread.sleep(1);
                    a.step(it, g);
                  }
                  return a.finish();
                }
              });
      for (float[] o : out) {
        assertThat(o[0]).isCloseTo(0f, Offset.offset(0.05f));
        assertThat(o[1]).isCloseTo(1f, Offset.offset(0.05f));
        assertThat(o[2]).isCloseTo(2f, Offset.offset(0.05f));
      }
    }
  }

  @Test
  void asyncParameterServerAppliesEveryPush() throws Exception {
    // Async PS chases whichever worker pushed last, so test it where workers agree: every push
    // moves the shared model towards the one target, and all workers end with the final model.
    AlgorithmConfig c = config(AlgorithmKind.PS, 4, 2, true);
    LocalNetwork local = new LocalNetwork(c.processes(), Clock.system());
    List<float[]> out =
        Cluster.run(
            local::peer,
            c.processes(),
            net -> {
              if (net.rank() >= c.workers()) {
                Algorithms.runServer(c, net);
                return null;
              }
              try (Algorithm a = Algorithms.worker(c, net, new float[3])) {
                for (int it = 0; it < 30; it++) {
                  a.step(it, gradient(a.parameters(), 0));
                }
                return a.finish();
              }
            });
    // 120 pushes of lr 0.1 towards (0, 1, 2), each computed on that worker's last pull.
    for (int w = 0; w < 4; w++) {
      assertThat(out.get(w)).containsExactly(out.get(0));
      // Stale gradients slow the contraction a little; 0.01 is still 200x closer than the start.
      assertThat(out.get(w)[2]).isCloseTo(2f, Offset.offset(1e-2f));
    }
  }

  @Test
  void adPsgdAveragingIsAtomicSoTheSumOfModelsIsConserved() throws Exception {
    // With zero gradients only the pairwise averaging changes models; (a+b)/2 twice keeps a+b,
    // so the consensus must equal the mean of the different starting models.
    AlgorithmConfig c = config(AlgorithmKind.ADPSGD, 4, 0, false);
    float[][] init = {{0, 8}, {4, 0}, {8, 4}, {12, 12}};
    LocalNetwork local = new LocalNetwork(4, Clock.system());
    List<float[]> out =
        Cluster.run(
            local::peer,
            4,
            net -> {
              try (Algorithm a = Algorithms.worker(c, net, init[net.rank()])) {
                for (int it = 0; it < 300; it++) {
                  a.step(it, new float[2]);
                }
                return a.finish();
              }
            });
    for (float[] o : out) {
      assertThat(o[0]).isCloseTo(6f, Offset.offset(1e-4f));
      assertThat(o[1]).isCloseTo(6f, Offset.offset(1e-4f));
    }
  }

  @Test
  void aMissingPeerTimesOutNamingIt() {
    AlgorithmConfig c =
        new AlgorithmConfig(
            AlgorithmKind.ALLREDUCE, 2, 0, false, 0.1f, 4, Duration.ofMillis(300), 1);
    LocalNetwork local = new LocalNetwork(2, Clock.system());
    assertThatThrownBy(
            () ->
                Cluster.run(
                    r -> local.peer(0),
                    1,
                    net -> {
                      Algorithms.worker(c, net, new float[8]).step(0, new float[8]);
                      return null;
                    }))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(PeerTimeoutException.class)
        .hasMessageContaining("from rank 1");
  }

  @Test
  void badConfigsAreRejected() {
    assertThatThrownBy(() -> AlgorithmKind.parse("gossip"))
        .hasMessageContaining("unknown algorithm 'gossip'")
        .hasMessageContaining("allreduce, ps, adpsgd, hop or ripples");
    assertThatThrownBy(() -> config(AlgorithmKind.PS, 4, 0, false))
        .hasMessageContaining("at least one server");
    assertThatThrownBy(() -> config(AlgorithmKind.ALLREDUCE, 4, 0, true))
        .hasMessageContaining("async");
  }
}
