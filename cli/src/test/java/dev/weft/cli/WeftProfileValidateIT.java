package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TokenSim pipeline end to end on a real model, through the launcher: {@code weft profile}
 * sweeps the live server and writes a calibration file, and {@code weft validate} runs a slice of
 * the Azure trace on the live server and in the simulator with that profile, reporting every
 * targeted metric and the worst error in its contract line.
 */
class WeftProfileValidateIT {

  private static final Path ROOT =
      Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();
  private static final Path TRACE =
      ROOT.resolveSibling("shared/traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv");

  @TempDir Path tmp;

  private String weft(String... args) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(ROOT.resolve("weft").toString()),
                        java.util.stream.Stream.of(args))
                    .toList())
            .directory(tmp.toFile());
    Map<String, String> env = pb.environment();
    env.remove("WEFT_MODELS");
    env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    Path out = tmp.resolve("stdout");
    Path err = tmp.resolve("stderr");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(600, TimeUnit.SECONDS)).as("weft finished in time").isTrue();
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(stdout + Files.readString(err, StandardCharsets.UTF_8)).isZero();
    return stdout;
  }

  @Test
  void profilesTheLiveServerThenValidatesATraceSliceWithThatProfile() throws Exception {
    Path profile = tmp.resolve("profile.json");
    String profiled = weft("profile", "--model", "stories260K", "--quick", "--out", "" + profile);
    assertThat(profiled).contains("lone prompt len=", "decode b=4 spread", "chosen:");
    assertThat(Files.readString(profile)).contains("\"format\": \"weft-calibration\"", "\"steps\"");

    Path out = tmp.resolve("validation");
    String validated =
        weft(
            "validate",
            "--model",
            "stories260K",
            "--trace",
            TRACE.toString(),
            "--loads",
            "light",
            "--max-requests",
            "24",
            "--length-scale",
            "0.05",
            "--profile",
            profile.toString(),
            "--out",
            out.toString());
    List<String> lines = validated.lines().toList();
    assertThat(validated).contains("| light | throughput (tok/s) |", "| light | p99 e2e (ms) |");
    assertThat(lines.get(lines.size() - 1))
        .matches("worst targeted error: [0-9.]+% \\([a-z0-9 ]+, light\\)");
    assertThat(out.resolve("validation.md")).exists();
    assertThat(out.resolve("validation.csv")).exists();
    assertThat(out.resolve("cdf-light.png")).exists();
  }
}
