package dev.weft.trainer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.data.mnist.ImageDataset;
import dev.weft.trainer.algo.Algorithm;
import dev.weft.trainer.algo.AlgorithmConfig;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.algo.Algorithms;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.model.ClassifierModel;
import dev.weft.trainer.model.ModelKind;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The must-show: ring All-Reduce over 4 workers (gRPC peer service, each worker its own
 * model) gives the same parameters as one worker on the concatenated batch, within 1e-5.
 */
class RingAllReduceEquivalenceTest {

  static final int WORKERS = 4;
  static final int BATCH = 16;
  static final int STEPS = 5;

  @Test
  void fourWorkersEqualOneWorkerOnTheConcatenatedBatch() throws Exception {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
    ImageDataset data =
        FashionMnist.train(FashionMnist.DEFAULT_DIR).slice(0, WORKERS * BATCH * STEPS);
    int px = data.imageSize();
    // Small transport chunks so the MLP's 235k values travel as many pipelined chunks.
    AlgorithmConfig cfg =
        new AlgorithmConfig(
            AlgorithmKind.ALLREDUCE, WORKERS, 0, false, 0.1f, 10_000, Duration.ofSeconds(60), 1);
    List<PeerAddress> peers = new ArrayList<>();
    for (int r = 0; r < WORKERS; r++) {
      peers.add(PeerAddress.inProcess("equiv-" + r));
    }
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<float[]>> results = new ArrayList<>();
    for (int r = 0; r < WORKERS; r++) {
      int rank = r;
      results.add(
          pool.submit(
              () -> {
                try (ClassifierModel m = new ClassifierModel(ModelKind.MLP, 28, 28, 10, 5);
                    GrpcPeerNetwork net =
                        GrpcPeerNetwork.start(
                            "equiv",
                            rank,
                            peers,
                            m.shapes(),
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(30),
                            Clock.system());
                    Algorithm a = Algorithms.worker(cfg, net, m.initialParameters(5))) {
                  float[] g = new float[m.size()];
                  for (int step = 0; step < STEPS; step++) {
                    // Worker r takes the r-th quarter of the step's global batch.
                    int from = (step * WORKERS + rank) * BATCH;
                    ImageDataset part = data.slice(from, BATCH);
                    m.lossAndGradient(a.parameters(), part.pixels(), part.labels(), g);
                    a.step(step, g);
                  }
                  return a.finish();
                }
              }));
    }
    List<float[]> distributed = new ArrayList<>();
    for (Future<float[]> f : results) {
      try {
        distributed.add(f.get(120, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException e) {
        e.getCause().printStackTrace();
      }
    }
    assertThat(distributed).hasSize(WORKERS);
    pool.shutdownNow();

    try (ClassifierModel m = new ClassifierModel(ModelKind.MLP, 28, 28, 10, 5)) {
      float[] w = m.initialParameters(5);
      float[] g = new float[m.size()];
      for (int step = 0; step < STEPS; step++) {
        ImageDataset global = data.slice(step * WORKERS * BATCH, WORKERS * BATCH);
        m.lossAndGradient(w, global.pixels(), global.labels(), g);
        for (int i = 0; i < w.length; i++) {
          w[i] -= 0.1f * g[i];
        }
      }
      double maxDiff = 0;
      for (float[] d : distributed) {
        assertThat(d).hasSize(w.length);
        for (int i = 0; i < w.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(d[i] - w[i]));
        }
      }
      assertThat(maxDiff).isLessThanOrEqualTo(1e-5);
      // The replicas themselves are bit-identical: every segment is reduced once and copied.
      for (float[] d : distributed) {
        assertThat(Arrays.equals(d, distributed.get(0))).isTrue();
      }
      // And training did move the weights (the comparison is not between two initial states).
      float[] init = m.initialParameters(5);
      double moved = 0;
      for (int i = 0; i < w.length; i++) {
        moved = Math.max(moved, Math.abs(w[i] - init[i]));
      }
      assertThat(moved).isGreaterThan(1e-3);
    }
  }
}
