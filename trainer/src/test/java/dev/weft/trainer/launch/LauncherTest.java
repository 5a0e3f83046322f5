package dev.weft.trainer.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.data.mnist.DatasetFormatException;
import dev.weft.data.mnist.FashionMnist;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.MetricsCsv;
import dev.weft.trainer.model.ModelKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real worker JVMs on loopback, kept short: a few dozen iterations each. */
class LauncherTest {

  @TempDir Path out;

  static LaunchConfig config(
      AlgorithmKind algo, int workers, Path dataset, Path out, long iterations, List<String> jvm) {
    return new LaunchConfig(
        algo,
        workers,
        algo == AlgorithmKind.PS ? 1 : 0,
        false,
        ModelKind.MLP,
        dataset,
        1,
        32,
        0.1f,
        0,
        iterations,
        11,
        Map.of(),
        0,
        1,
        0,
        out,
        false,
        // Generous waits: passing runs never reach them, and on a 2-core machine shared with
        // other builds (or a benchmark at high CPU priority) a worker JVM can get almost no CPU
        // for tens of seconds (a 30 s peer timeout failed this test once under such load).
        120,
        600,
        jvm,
        System.getProperty("java.class.path"));
  }

  /** {@code c} with {@code --warmup-iterations n}. */
  static LaunchConfig withWarmup(LaunchConfig c, int n) {
    return new LaunchConfig(
        c.algo(),
        c.workers(),
        c.algo() == AlgorithmKind.PS ? c.servers() : 0,
        c.psAsync(),
        c.model(),
        c.dataset(),
        c.epochs(),
        c.batch(),
        c.lr(),
        c.targetAccuracy(),
        c.maxIterations(),
        c.seed(),
        c.slowdowns(),
        c.transientProbability(),
        c.transientFactor(),
        c.netDelayMicros(),
        c.outDir(),
        c.prometheus(),
        c.timeoutSeconds(),
        c.runTimeoutSeconds(),
        c.workerJvmOptions(),
        c.classpath(),
        c.hop(),
        c.ripples(),
        c.lm(),
        c.accuracyEvery(),
        n);
  }

  /**
   * Every algorithm, with a short JIT warm-up: servers and Ripples' group generator must join the
   * warm-up's all-reduces too, or the run would hang until the peer timeout.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmKind.class)
  void twoWorkerJvmsTrainAndWriteMetrics(AlgorithmKind algo) throws Exception {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Launcher.Result r =
        new Launcher(
                withWarmup(
                    config(algo, 2, FashionMnist.DEFAULT_DIR, out, 60, List.of("-Xmx768m")), 3),
                new PrintStream(progress, true))
            .run();
    // 60 iterations of batch 32 per worker already beat chance (0.10) by far.
    assertThat(r.testAccuracy()).isGreaterThan(0.55);
    assertThat(r.iterations()).isEqualTo(120);
    List<IterationRecord> rows = MetricsCsv.read(out.resolve("metrics.csv"));
    assertThat(rows).hasSize(120);
    assertThat(rows).extracting(IterationRecord::rank).containsOnly(0, 1);
    assertThat(rows.get(rows.size() - 1).bytesSent()).isPositive();
    assertThat(out.resolve("loss.png")).isNotEmptyFile();
    assertThat(out.resolve("worker-0.log")).exists();
    assertThat(progress.toString()).contains("100%");
  }

  @Test
  void aCorruptDatasetFailsBeforeAnyWorkerStarts() throws Exception {
    Path data = Files.createDirectory(out.resolve("data"));
    for (String f :
        List.of(
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte")) {
      Files.writeString(data.resolve(f), "garbage");
    }
    assertThatThrownBy(
            () ->
                new Launcher(
                        config(AlgorithmKind.ALLREDUCE, 2, data, out.resolve("run"), 10, List.of()),
                        System.err)
                    .run())
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("train-images-idx3-ubyte");
    assertThat(out.resolve("run/worker-0.log")).doesNotExist();
  }

  @Test
  void aFailedWorkerIsNamedWithItsLog() {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
    // A heap too small to even start: every worker JVM exits at once with an error.
    assertThatThrownBy(
            () ->
                new Launcher(
                        config(
                            AlgorithmKind.ALLREDUCE,
                            2,
                            FashionMnist.DEFAULT_DIR,
                            out,
                            10,
                            List.of("-Xmx1m")),
                        System.err)
                    .run())
        .isInstanceOf(LaunchException.class)
        .hasMessageMatching("(?s)worker [01] failed \\(exit code 1\\).*worker-[01]\\.log.*");
  }

  @Test
  void badLaunchConfigsAreRejected() {
    assertThatThrownBy(
            () ->
                new LaunchConfig(
                    AlgorithmKind.ALLREDUCE,
                    4,
                    0,
                    false,
                    ModelKind.MLP,
                    out,
                    1,
                    32,
                    0.1f,
                    0,
                    0,
                    1,
                    Map.of(7, 5.0),
                    0,
                    1,
                    0,
                    out,
                    false,
                    30,
                    60,
                    List.of(),
                    "cp"))
        .hasMessageContaining("--slowdown names rank 7");
    assertThatThrownBy(
            () ->
                new LaunchConfig(
                    AlgorithmKind.ALLREDUCE,
                    4,
                    0,
                    false,
                    ModelKind.MLP,
                    out,
                    1,
                    32,
                    0.1f,
                    0,
                    0,
                    1,
                    Map.of(1, 0.5),
                    0,
                    1,
                    0,
                    out,
                    false,
                    30,
                    60,
                    List.of(),
                    "cp"))
        .hasMessageContaining("must be >= 1");
  }
}
