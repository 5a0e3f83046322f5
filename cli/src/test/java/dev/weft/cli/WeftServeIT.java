package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code ./weft demo}, {@code ./weft serve} and {@code ./weft client} as a user would: the
 * launcher, the packaged jar, a real server on loopback and real gRPC clients.
 */
class WeftServeIT {

  private static final Path ROOT =
      Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  private ProcessBuilder weft(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("weft").toString());
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().remove("WEFT_MODELS");
    pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    return pb;
  }

  private Run run(String name, String... args) throws IOException, InterruptedException {
    Path out = tmp.resolve(name + ".out");
    Path err = tmp.resolve(name + ".err");
    Process p = weft(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("weft %s finished in time", name).isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void demoServesStreamsReportsMetricsAndStops() throws Exception {
    Run demo = run("demo", "demo");
    assertThat(demo.exit()).as(demo.err()).isZero();
    assertThat(demo.out())
        .contains("weft demo: health SERVING")
        .contains(WeftGenerateIT.publishedStory().substring(0, 200))
        .containsPattern("256 tokens in [0-9.]+ s .*finish: length")
        .containsPattern("burst of 16 concurrent requests: 1024 tokens in .* 0 errors")
        .contains("requests: 17 ended, 0 rejected")
        .containsPattern("mean batch size [0-9.]+ sequences")
        .endsWith("weft demo: server drained and stopped\n");
  }

  @Test
  void serveAnswersClientsAndDrainsOnSigterm() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path serveErr = tmp.resolve("serve.err");
    Process serve =
        weft(
                "serve",
                "--model",
                "stories260K",
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
      String server = "127.0.0.1:" + port;
      Run greedy =
          run(
              "client",
              "client",
              "--server",
              server,
              "--temperature",
              "0",
              "--max-tokens",
              "64",
              "--prompt",
              "One day, a big bear");
      assertThat(greedy.exit()).as(greedy.err()).isZero();
      // As with generate: greedy stories260K continues this prompt with " named Ben".
      assertThat(greedy.out()).startsWith(" named Ben");
      assertThat(greedy.err()).containsPattern("64 tokens in [0-9.]+ s .*finish: length");

      Run rejected =
          run("rejected", "client", "--server", server, "--max-tokens", "8", "--min-tokens", "9");
      assertThat(rejected.exit()).isEqualTo(1);
      assertThat(rejected.err())
          .contains("weft client: error: INVALID_ARGUMENT: min_tokens is 9, must be in [0,");

      Run badFlag = run("bad", "client", "--server", server, "--temperature", "-1");
      assertThat(badFlag.exit()).isEqualTo(2);
      assertThat(badFlag.err()).contains("invalid temperature -1.0: must be >= 0");
    } finally {
      serve.destroy(); // SIGTERM: drains, then exits
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve stopped on SIGTERM").isTrue();
    }
  }

  @Test
  void clientWithNoServerSaysUnavailable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Run run = run("none", "client", "--server", "127.0.0.1:" + port, "--prompt", "Hi");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("weft client: error: UNAVAILABLE")
        .contains("is weft serve running");
  }
}
