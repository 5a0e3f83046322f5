package dev.weft.engine.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.TestModels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The training forward's gradient does not depend on when the garbage collector runs. DJL builds
 * the scalar of {@code NDArray.mul(double)} from a direct buffer and closes it at once, while
 * autograd keeps it for the backward pass; a collection between forward and backward freed it, and
 * the backward read whatever was there. Two-worker language-model runs drifted apart and
 * occasionally went NaN (a CI failure of RealWorkerLanguageModelFaultsTest); under a 2 MB young
 * generation every repeat of the same gradient came out different.
 */
class TrainableLlamaGcTest {

  @Test
  void theSameBatchGivesTheSameGradientWhileTheCollectorRuns() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd =
        List.of(
            java.toString(),
            "-Xmn2m",
            "-Xmx512m",
            "-Dai.djl.offline=true",
            "-DOPT_OUT_TRACKING=true",
            "-Dai.djl.pytorch.num_threads=1",
            "-cp",
            System.getProperty("java.class.path"),
            GradientRepeats.class.getName(),
            TestModels.sharedModels().toString(),
            "12");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> gradients = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        output.append(line).append('\n');
        if (line.startsWith("GRADIENT ")) {
          gradients.add(line);
        }
      }
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("child output:%n%s", output).isZero();
    assertThat(gradients).hasSize(12);
    assertThat(gradients).as("one gradient, repeated").containsOnly(gradients.get(0));
  }
}
