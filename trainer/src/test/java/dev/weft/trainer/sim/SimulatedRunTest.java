package dev.weft.trainer.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.launch.LaunchConfig;
import dev.weft.trainer.launch.Launcher;
import dev.weft.trainer.launch.RecoveryOptions;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.MetricsCsv;
import dev.weft.trainer.model.ModelKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Whole simulated runs on Fashion-MNIST, kept to a few iterations per worker. */
class SimulatedRunTest {

  @TempDir Path dir;

  @BeforeAll
  static void dataset() {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
  }

  static LaunchConfig config(
      AlgorithmKind algo, int workers, long iterations, Map<Integer, Double> slow, Path out) {
    return new LaunchConfig(
        algo,
        workers,
        algo == AlgorithmKind.PS ? 2 : 0,
        false,
        ModelKind.MLP,
        FashionMnist.DEFAULT_DIR,
        1,
        32,
        0.1f,
        0,
        iterations,
        5,
        slow,
        0,
        1,
        0,
        out,
        false,
        60,
        600,
        List.of(),
        "unused");
  }

  static SimulationOptions fixedCompute() {
    return new SimulationOptions(
        new NetworkModel(500_000, 1e8, 64, Map.of()),
        ComputeProfile.fixed(Duration.ofMillis(10), Duration.ZERO),
        0,
        1);
  }

  private Launcher.Result run(LaunchConfig c) throws Exception {
    return new SimulatedRun(
            c, fixedCompute(), RecoveryOptions.NONE, new PrintStream(new ByteArrayOutputStream()))
        .run();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmKind.class)
  void theSameSeedGivesIdenticalMetrics(AlgorithmKind algo) throws Exception {
    Launcher.Result a = run(config(algo, 6, 15, Map.of(1, 3.0), dir.resolve("a")));
    Launcher.Result b = run(config(algo, 6, 15, Map.of(1, 3.0), dir.resolve("b")));
    assertThat(Files.readString(a.outDir().resolve("metrics.csv")))
        .isEqualTo(Files.readString(b.outDir().resolve("metrics.csv")));
    assertThat(a.testAccuracy()).isEqualTo(b.testAccuracy()).isGreaterThan(0.3);
    assertThat(a.iterations()).isEqualTo(90);
    assertThat(a.seconds()).isEqualTo(b.seconds());
    assertThat(dir.resolve("a/loss.png")).isNotEmptyFile();
    assertThat(Files.readString(dir.resolve("a/summary.txt"))).contains("(simulated)");
  }

  @Test
  void aSlowWorkerTakesItsFactorTimesTheComputeTime() throws Exception {
    run(config(AlgorithmKind.ADPSGD, 4, 5, Map.of(2, 5.0), dir));
    List<IterationRecord> rows = MetricsCsv.read(dir.resolve("metrics.csv"));
    assertThat(rows).filteredOn(r -> r.rank() == 2).allMatch(r -> r.computeSeconds() == 0.05);
    assertThat(rows).filteredOn(r -> r.rank() == 0).allMatch(r -> r.computeSeconds() == 0.01);
  }

  @Test
  void sixtyFourWorkersAllReduceInOneProcess() throws Exception {
    Launcher.Result r = run(config(AlgorithmKind.ALLREDUCE, 64, 2, Map.of(), dir));
    assertThat(r.iterations()).isEqualTo(128);
    List<IterationRecord> rows = MetricsCsv.read(dir.resolve("metrics.csv"));
    // Synchronous: every worker finishes iteration 0 before anyone finishes iteration 1.
    double lastOfFirst =
        rows.stream()
            .filter(x -> x.iteration() == 0)
            .mapToDouble(x -> x.wallSeconds())
            .max()
            .orElseThrow();
    double firstOfSecond =
        rows.stream()
            .filter(x -> x.iteration() == 1)
            .mapToDouble(x -> x.wallSeconds())
            .min()
            .orElseThrow();
    assertThat(firstOfSecond).isGreaterThan(lastOfFirst);
  }
}
