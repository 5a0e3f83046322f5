package dev.weft.trainer.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void showsADashUntilALossIsReportedThenTheLoss() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10);
    bar.update(0, Double.NaN, 1);
    bar.update(5, 0.12345, 2);
    bar.end();
    String[] frames = bytes.toString(StandardCharsets.UTF_8).split("\r");
    assertThat(frames[1]).isEqualTo("[" + " ".repeat(30) + "]   0% 0/10 iterations  loss -  1 s");
    assertThat(frames[2])
        .isEqualTo(
            "[" + "#".repeat(15) + " ".repeat(15) + "]  50% 5/10 iterations  loss 0.1235  2 s\n");
  }
}
