package dev.weft.trainer.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.MetricsCsv;
import dev.weft.trainer.sim.ComputeProfile;
import dev.weft.trainer.sim.NetworkModel;
import dev.weft.trainer.sim.SimulatedRun;
import dev.weft.trainer.sim.SimulationOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN principle 2 checked end to end: the same configuration run by 4 real worker JVMs over gRPC
 * and by {@code --simulate} in one process. Same seed, same shards, same batch order and the same
 * ring All-Reduce code, so the runs agree on every worker's iteration count, on the training loss
 * of every (worker, iteration) and on the final test accuracy.
 */
class RealAndSimulatedAgreeTest {

  @TempDir Path dir;

  @Test
  void fourWorkerJvmsAndTheSimulationAgree() throws Exception {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
    LaunchConfig real =
        LauncherTest.config(
            AlgorithmKind.ALLREDUCE,
            4,
            FashionMnist.DEFAULT_DIR,
            dir.resolve("real"),
            80,
            List.of("-Xmx512m"));
    Launcher.Result r = new Launcher(real, new PrintStream(new ByteArrayOutputStream())).run();
    LaunchConfig simulated =
        LauncherTest.config(
            AlgorithmKind.ALLREDUCE,
            4,
            FashionMnist.DEFAULT_DIR,
            dir.resolve("sim"),
            80,
            List.of());
    // Compute and network times only move the virtual clock; they cannot change what is learnt.
    SimulationOptions options =
        new SimulationOptions(
            new NetworkModel(500_000, 1e9, 64, Map.of()),
            ComputeProfile.fixed(Duration.ofMillis(5), Duration.ZERO),
            0,
            1);
    Launcher.Result s =
        new SimulatedRun(
                simulated,
                options,
                RecoveryOptions.NONE,
                new PrintStream(new ByteArrayOutputStream()))
            .run();

    List<IterationRecord> realRows = MetricsCsv.read(dir.resolve("real/metrics.csv"));
    List<IterationRecord> simRows = MetricsCsv.read(dir.resolve("sim/metrics.csv"));
    assertThat(iterationsPerRank(simRows)).isEqualTo(iterationsPerRank(realRows));
    assertThat(iterationsPerRank(realRows)).isEqualTo(Map.of(0, 80L, 1, 80L, 2, 80L, 3, 80L));
    assertThat(s.iterations()).isEqualTo(r.iterations()).isEqualTo(320);
    Map<String, Double> realLoss = lossByStep(realRows);
    Map<String, Double> simLoss = lossByStep(simRows);
    assertThat(simLoss.keySet()).isEqualTo(realLoss.keySet());
    for (var e : realLoss.entrySet()) {
      assertThat(simLoss.get(e.getKey()))
          .as("loss at %s", e.getKey())
          .isCloseTo(e.getValue(), within(1e-3));
    }
    // The issue's bar is one point of accuracy; the shared code makes them agree far closer.
    assertThat(r.testAccuracy()).isGreaterThan(0.6);
    assertThat(s.testAccuracy()).isCloseTo(r.testAccuracy(), within(0.01));
  }

  private static Map<Integer, Long> iterationsPerRank(List<IterationRecord> rows) {
    return rows.stream()
        .collect(Collectors.groupingBy(IterationRecord::rank, TreeMap::new, Collectors.counting()));
  }

  private static Map<String, Double> lossByStep(List<IterationRecord> rows) {
    return rows.stream()
        .collect(
            Collectors.toMap(
                x -> x.rank() + "@" + x.iteration(),
                IterationRecord::loss,
                (a, b) -> a,
                TreeMap::new));
  }
}
