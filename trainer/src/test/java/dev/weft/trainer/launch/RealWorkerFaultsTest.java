package dev.weft.trainer.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.MetricsCsv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker JVM killed mid-run ({@code --kill RANK@ITERATION}: the worker halts with exit code
 * 137, no goodbye to the coordinator or its peers, as after a crash). The simulated counterpart is
 * {@code SimulatedFaultsTest}.
 */
class RealWorkerFaultsTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  @BeforeAll
  static void dataset() {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
  }

  private static LaunchConfig config(AlgorithmKind algo, Path out) {
    return LauncherTest.config(algo, 4, FashionMnist.DEFAULT_DIR, out, 60, List.of("-Xmx512m"));
  }

  private Launcher.Result run(LaunchConfig c, RecoveryOptions r) throws Exception {
    return new Launcher(c, r, new PrintStream(progress, true)).run();
  }

  @Test
  void allReduceStopsNamingTheKilledWorkerAndItsLastCheckpoint() {
    Path out = dir.resolve("killed");
    assertThatThrownBy(
            () ->
                run(
                    config(AlgorithmKind.ALLREDUCE, out),
                    new RecoveryOptions(Map.of(2, 37L), 10, null)))
        .isInstanceOf(LaunchException.class)
        .hasMessageStartingWith("worker 2 failed (exit code 137): worker 2 killed at iteration 37")
        .hasMessageContaining("worker-2.log")
        .hasMessageContaining("last checkpoint: " + out.resolve("checkpoint") + " at iteration 30")
        .hasMessageContaining("--resume " + out);
  }

  /** The rest of the fault story; four 4-JVM runs, so {@code slow}. */
  @Test
  @Tag("slow")
  void adPsgdCarriesOnAndAllReduceResumesToTheUninterruptedAccuracy() throws Exception {
    Launcher.Result ad =
        run(
            config(AlgorithmKind.ADPSGD, dir.resolve("ad")),
            new RecoveryOptions(Map.of(3, 20L), 0, null));
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("worker 3 died (exit code 137): worker 3 killed at iteration 20")
        .contains("adpsgd carries on with the other workers");
    List<IterationRecord> rows = MetricsCsv.read(dir.resolve("ad/metrics.csv"));
    for (int rank = 0; rank < 3; rank++) {
      int r = rank;
      assertThat(rows).filteredOn(x -> x.rank() == r).hasSize(60);
    }
    // The killed JVM's buffered metrics die with it; it never got past iteration 19.
    assertThat(rows).filteredOn(x -> x.rank() == 3).allMatch(x -> x.iteration() < 20);
    assertThat(ad.iterations()).isEqualTo(180);
    assertThat(ad.testAccuracy()).isGreaterThan(0.55);

    Path first = dir.resolve("first");
    assertThatThrownBy(
            () ->
                run(
                    config(AlgorithmKind.ALLREDUCE, first),
                    new RecoveryOptions(Map.of(1, 45L), 20, null)))
        .hasMessageContaining("worker 1 failed")
        .hasMessageContaining("at iteration 40");
    Launcher.Result resumed =
        run(
            config(AlgorithmKind.ALLREDUCE, dir.resolve("resumed")),
            new RecoveryOptions(Map.of(), 0, first));
    Launcher.Result whole =
        run(config(AlgorithmKind.ALLREDUCE, dir.resolve("whole")), RecoveryOptions.NONE);
    assertThat(MetricsCsv.read(dir.resolve("resumed/metrics.csv")))
        .hasSize(4 * 20)
        .allMatch(x -> x.iteration() >= 40);
    // Same parameters at the checkpoint, same batches after it and the same deterministic ring:
    // the issue asks for "the same accuracy"; half a point of tolerance, equal in practice.
    assertThat(resumed.testAccuracy()).isCloseTo(whole.testAccuracy(), within(0.005));
  }
}
