package dev.weft.trainer.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.launch.LaunchConfig;
import dev.weft.trainer.launch.Launcher;
import dev.weft.trainer.launch.RecoveryOptions;
import dev.weft.trainer.metrics.ParameterProbe;
import dev.weft.trainer.worker.ParameterSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Following the workers' parameters over time: live in a simulation, and replayed from the
 * snapshots worker processes write.
 */
class ParameterProbeTest {

  @TempDir Path dir;

  @BeforeAll
  static void dataset() {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
  }

  /** Records what it is shown: times, and each worker's first parameter. */
  private static final class Recorder implements ParameterProbe {
    final double period;
    final List<Double> times = new ArrayList<>();
    final List<float[]> firsts = new ArrayList<>();

    Recorder(double period) {
      this.period = period;
    }

    @Override
    public double periodSeconds() {
      return period;
    }

    @Override
    public void observe(double seconds, List<float[]> workerParameters) {
      times.add(seconds);
      float[] f = new float[workerParameters.size()];
      for (int r = 0; r < f.length; r++) {
        f[r] = workerParameters.get(r)[0];
      }
      firsts.add(f);
    }
  }

  private static Launcher.Result run(LaunchConfig c, RecoveryOptions r, ParameterProbe probe)
      throws Exception {
    return new SimulatedRun(
            c,
            SimulatedRunTest.fixedCompute(),
            r,
            new PrintStream(new ByteArrayOutputStream()),
            probe)
        .run();
  }

  @Test
  void aSimulatedProbeSeesEveryWorkerAtEachPeriodAndCostsNoVirtualTime() throws Exception {
    Map<Integer, Double> slow = Map.of(2, 3.0);
    Launcher.Result plain =
        run(
            SimulatedRunTest.config(AlgorithmKind.ADPSGD, 4, 12, slow, dir.resolve("plain")),
            RecoveryOptions.NONE,
            null);
    Recorder probe = new Recorder(0.05);
    Launcher.Result probed =
        run(
            SimulatedRunTest.config(AlgorithmKind.ADPSGD, 4, 12, slow, dir.resolve("probed")),
            RecoveryOptions.NONE,
            probe);
    assertThat(Files.readString(probed.outDir().resolve("metrics.csv")))
        .isEqualTo(Files.readString(plain.outDir().resolve("metrics.csv")));
    assertThat(probed.testAccuracy()).isEqualTo(plain.testAccuracy());
    for (int k = 0; k < probe.times.size(); k++) {
      assertThat(probe.times.get(k)).isCloseTo(0.05 * (k + 1), within(1e-9));
    }
    // Observed until every worker was done, and the decentralized workers differ meanwhile.
    assertThat(probe.times.get(probe.times.size() - 1)).isGreaterThanOrEqualTo(plain.seconds());
    assertThat(probe.firsts).anyMatch(f -> f[0] != f[2]);
  }

  @Test
  void snapshotsReplayEachWorkersLatestParametersAtEachPeriod() throws Exception {
    LaunchConfig c =
        SimulatedRunTest.config(AlgorithmKind.ALLREDUCE, 3, 10, Map.of(), dir.resolve("snap"));
    run(c, RecoveryOptions.snapshots(0.05), null);
    List<ParameterSnapshots.Snapshot> rank1 = ParameterSnapshots.list(c.outDir(), 1);
    // A snapshot after each iteration that crossed a multiple of 0.05 s, and the final model.
    assertThat(rank1).isNotEmpty();
    assertThat(rank1.get(rank1.size() - 1).iteration()).isEqualTo(10);
    Recorder replay = new Recorder(0.05);
    ParameterSnapshots.replay(c.outDir(), 3, replay);
    assertThat(replay.times).isSorted().isNotEmpty();
    assertThat(replay.times.get(replay.times.size() - 1))
        .isEqualTo(rank1.get(rank1.size() - 1).seconds());
    // All-Reduce keeps the replicas identical, so the replayed workers agree at every time.
    assertThat(replay.firsts).allMatch(f -> f[0] == f[1] && f[1] == f[2]);
    float[] last = ParameterSnapshots.read(rank1.get(rank1.size() - 1));
    assertThat(replay.firsts.get(replay.firsts.size() - 1)[1]).isEqualTo(last[0]);
    ParameterSnapshots.delete(c.outDir());
    assertThat(ParameterSnapshots.dir(c.outDir())).doesNotExist();
  }
}
