package dev.weft.trainer.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.model.ModelKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The accuracy bar: each algorithm trains the Fashion-MNIST MLP with 4 worker JVMs to at
 * least 85% test accuracy. Minutes per algorithm on two cores, hence {@code slow} ({@code mvn
 * -Pslow}); the committed results under benchmarks/results/trainer come from the same settings
 * through {@code ./weft train}.
 */
@Tag("slow")
class AccuracySlowTest {

  @TempDir Path out;

  @ParameterizedTest
  @EnumSource(AlgorithmKind.class)
  void fourWorkerJvmsReach85Percent(AlgorithmKind algo) throws Exception {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
    LaunchConfig c =
        new LaunchConfig(
            algo,
            4,
            algo == AlgorithmKind.PS ? 1 : 0,
            false,
            ModelKind.MLP,
            FashionMnist.DEFAULT_DIR,
            2,
            32,
            0.1f,
            0,
            0,
            1,
            Map.of(),
            0,
            1,
            0,
            out,
            false,
            120,
            1200,
            List.of("-Xmx1g"),
            System.getProperty("java.class.path"));
    Launcher.Result r = new Launcher(c, System.err).run();
    assertThat(r.testAccuracy()).isGreaterThanOrEqualTo(0.85);
  }
}
