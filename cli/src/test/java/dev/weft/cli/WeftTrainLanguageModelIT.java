package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.data.text.TextCorpus;
import dev.weft.trainer.lm.HeldOutCsv;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The language-model path end to end, as a user runs it: {@code weft train --model llama} with two
 * worker JVMs fine-tunes stories260K on a slice of Debian's fortunes (its {@code fortunes} file,
 * 431 cookies), the held-out loss drops, and {@code ./weft serve} loads the saved model and streams
 * text to {@code weft client}.
 */
class WeftTrainLanguageModelIT {

  private static final Path ROOT =
      Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();

  @TempDir Path tmp;

  static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void twoWorkersFineTuneStories260kOnFortunesAndServeStreamsTheResult() throws Exception {
    assumeTrue(Files.isDirectory(TextCorpus.FORTUNES_DIR), "package fortunes not installed");
    Path out = tmp.resolve("run");
    CliRun train =
        CliRun.of(
            "train",
            "--algo",
            "allreduce",
            "--workers",
            "2",
            "--model",
            "llama",
            "--init",
            ROOT.resolveSibling("shared").resolve("models").resolve("stories260K").toString(),
            "--dataset",
            "text:" + TextCorpus.FORTUNES_DIR.resolve("fortunes"),
            "--seq-len",
            "32",
            "--batch",
            "4",
            "--lr",
            // 0.1 reaches a lower held-out loss than 0.3 (2.54 vs 2.57 after 100 iterations). (A CI
            // run at 0.3 that went NaN was the attention-scale use-after-free, since fixed.)
            "0.1",
            "--epochs",
            "4",
            "--max-iterations",
            "200",
            "--eval-every",
            "100",
            "--eval-windows",
            "32",
            "--worker-heap",
            "512m",
            "--seed",
            "5",
            "--out",
            out.toString());
    assertThat(train.code()).as(train.err()).isZero();
    double first = number(train.out(), "held-out loss after 0 iterations: ([0-9.]+)");
    double last = number(train.out(), "final held-out loss: ([0-9.]+)\n$");
    assertThat(train.out()).contains("allreduce: 2 workers, 400 iterations");
    // stories260K starts near 3.5 nats per token on fortunes; 200 steps take off well over 0.3.
    assertThat(last).isLessThan(first - 0.3);
    List<HeldOutCsv.Row> rows = HeldOutCsv.read(out.resolve(HeldOutCsv.FILE));
    assertThat(rows).extracting(HeldOutCsv.Row::iteration).containsExactly(0L, 100L, 200L);
    assertThat(out.resolve("model.bin")).isNotEmptyFile();
    assertThat(out.resolve("tokenizer.bin")).isNotEmptyFile();

    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path serveErr = tmp.resolve("serve.err");
    Process serve =
        new ProcessBuilder(
                ROOT.resolve("weft").toString(),
                "serve",
                "--model",
                out.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--metrics-port",
                "-1")
            .redirectOutput(tmp.resolve("serve.out").toFile())
            .redirectError(serveErr.toFile())
            .start();
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (!Files.readString(serveErr).contains("ready (health SERVING)")) {
        assertThat(serve.isAlive()).as(Files.readString(serveErr)).isTrue();
        assertThat(System.nanoTime()).as("serve became ready").isLessThan(end);
        Thread.sleep(200);
      }
      CliRun client =
          CliRun.of(
              "client",
              "--server",
              "127.0.0.1:" + port,
              "--temperature",
              "0",
              "--max-tokens",
              "40",
              "--min-tokens",
              "40",
              "--prompt",
              "A");
      assertThat(client.code()).as(client.err()).isZero();
      assertThat(client.out().strip()).isNotEmpty();
      assertThat(client.err()).containsPattern("40 tokens in [0-9.]+ s");
    } finally {
      serve.destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve stopped on SIGTERM").isTrue();
    }
  }
}
