package dev.weft.cli.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.CliRun;
import dev.weft.simulator.StepShape;
import dev.weft.simulator.calibration.Calibration;
import dev.weft.simulator.calibration.CalibrationFiles;
import dev.weft.simulator.calibration.MachineInfo;
import dev.weft.simulator.calibration.ModelShape;
import dev.weft.simulator.calibration.StepSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft simulate} and the commands' bad-input paths, in-process as a user runs them. */
class SimCommandsTest {

  @TempDir Path tmp;
  Path profile;
  Path trace;

  static CliRun weft(String... args) {
    return CliRun.of(args);
  }

  /** A calibration for the 15M shape: 3 ms + 60 us per token + 150 us per sample. */
  @BeforeEach
  void files() throws IOException {
    List<StepSample> steps = new ArrayList<>();
    for (int b : new int[] {1, 2, 4, 8, 16, 32, 64}) {
      for (int rep = 0; rep < 3; rep++) {
        StepShape s = new StepShape(0, 0, b, 0, 300L * b, b, 0, 1);
        steps.add(new StepSample("decode b=" + b, s, 3_000_000 + 210_000L * b, 40_000));
        StepShape p = new StepShape(1, 64 * b, 0, 64L * b * 64 * b, 0, 1, 0, 1);
        steps.add(new StepSample("prefill " + b, p, 3_150_000 + 60_000L * 64 * b, 40_000));
      }
    }
    ModelShape shape = new ModelShape("15M", 288, 6, 6, 6, 768, 32000, 4096);
    profile = tmp.resolve("profile.json");
    CalibrationFiles.write(
        profile,
        new Calibration(
            Calibration.VERSION,
            shape,
            16,
            new MachineInfo("test", 2, "Linux", "amd64", "17"),
            "test",
            "2024-01-01T00:00:00Z",
            steps));
    trace = tmp.resolve("trace.csv");
    StringBuilder csv = new StringBuilder("TIMESTAMP,ContextTokens,GeneratedTokens\n");
    for (int i = 0; i < 200; i++) {
      csv.append(
          String.format(
              "2023-11-16 18:%02d:%02d.5000000,%d,%d%n",
              15 + i / 60, i % 60, 100 + 7 * i % 900, 5 + i % 60));
    }
    Files.writeString(trace, csv);
  }

  @Test
  void simulatesATraceAndReportsSpeed() {
    CliRun run =
        weft(
            "simulate",
            "--profile",
            profile.toString(),
            "--trace",
            trace.toString(),
            "--time-scale",
            "10");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Successful requests:                              200");
    assertThat(run.out()).contains("Mean TTFT (ms):").contains("P99 ITL (ms):");
    assertThat(run.out()).containsPattern("simulated seconds per wall second");
    // deterministic: the same command prints the same metrics
    CliRun again =
        weft(
            "simulate",
            "--profile",
            profile.toString(),
            "--trace",
            trace.toString(),
            "--time-scale",
            "10");
    assertThat(again.out().lines().filter(l -> l.contains("(ms)")).toList())
        .isEqualTo(run.out().lines().filter(l -> l.contains("(ms)")).toList());
  }

  @Test
  void simulatesSyntheticLoadOnGpuRooflines() {
    CliRun a100 =
        weft(
            "simulate",
            "--profile",
            profile.toString(),
            "--synthetic",
            "512:128",
            "--rate",
            "50",
            "--max-requests",
            "300",
            "--hardware",
            "a100",
            "--kv-cache-memory",
            "20GiB");
    assertThat(a100.code()).as(a100.err()).isZero();
    assertThat(a100.out()).contains("roofline for a100 (modelled from NVIDIA A100");
    CliRun closed =
        weft(
            "simulate",
            "--profile",
            profile.toString(),
            "--synthetic",
            "100:20",
            "--clients",
            "4",
            "--max-requests",
            "50");
    assertThat(closed.code()).as(closed.err()).isZero();
  }

  @Test
  void badInputIsOneLineAndExitCode2() throws IOException {
    CliRun missing =
        weft(
            "simulate",
            "--profile",
            tmp.resolve("nope.json").toString(),
            "--synthetic",
            "10:10",
            "--rate",
            "1");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().strip())
        .isEqualTo(
            "weft simulate: error: profile file not found: "
                + tmp.resolve("nope.json")
                + " (write one with weft profile)");

    CliRun block =
        weft(
            "simulate",
            "--profile",
            profile.toString(),
            "--synthetic",
            "10:10",
            "--rate",
            "1",
            "--block-size",
            "32");
    assertThat(block.code()).isEqualTo(2);
    assertThat(block.err())
        .contains(profile + ": profiled with block size 16, but this run uses block size 32");

    Files.writeString(
        trace,
        Files.readString(trace)
            .replaceFirst(
                "\n2023-11-16 18:15:01.5000000,107,6", "\n2023-11-16 18:15:01.5000000,10x7,6"));
    CliRun badTrace =
        weft("simulate", "--profile", profile.toString(), "--trace", trace.toString());
    assertThat(badTrace.code()).isEqualTo(2);
    assertThat(badTrace.err().strip())
        .isEqualTo(
            "weft simulate: error: " + trace + ":3: ContextTokens '10x7' is not a whole number");

    CliRun hw =
        weft(
            "simulate",
            "--profile",
            profile.toString(),
            "--synthetic",
            "10:10",
            "--rate",
            "1",
            "--hardware",
            "tpu");
    assertThat(hw.code()).isEqualTo(2);
    assertThat(hw.err()).contains("unknown hardware 'tpu'");
  }

  @Test
  void validateRefusesAProfileOfAnotherModel() {
    Path stories = SharedSchedulerTest.stories260K();
    CliRun run =
        weft(
            "validate",
            "--model",
            stories.toString(),
            "--trace",
            trace.toString(),
            "--profile",
            profile.toString(),
            "--out",
            tmp.resolve("v").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().strip())
        .startsWith("weft validate: error: " + profile + ": profiled for dim 288, 6 layers")
        .contains("but the model is dim 64, 5 layers");
  }
}
