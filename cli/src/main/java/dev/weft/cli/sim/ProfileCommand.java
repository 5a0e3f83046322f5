package dev.weft.cli.sim;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.model.LoadedModel;
import dev.weft.server.ServingOptions;
import dev.weft.simulator.calibration.Calibration;
import dev.weft.simulator.calibration.CalibrationFiles;
import dev.weft.simulator.calibration.HardwareProfile;
import dev.weft.simulator.calibration.MachineInfo;
import dev.weft.simulator.calibration.StepSample;
import dev.weft.simulator.cost.FitReport;
import dev.weft.simulator.cost.FittedCostModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft profile}: the step-shape sweep that calibrates the simulator, or the machine probe.
 */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description = {
      "Sweep step shapes on the live server (decode batches by context length, prompt chunks,"
          + " batches of prompts, mixes; requests streamed over loopback gRPC, samples from the"
          + " server's step records) and write a versioned calibration file for weft simulate and weft validate;"
          + " or, with --hardware, measure the machine (bandwidth, matmul rate by shape, per-op"
          + " overhead) for the CPU roofline."
    })
public final class ProfileCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", paramLabel = "NAME|PATH", description = "Model to profile.")
  String model;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "JSON file to write.")
  Path out;

  @Option(names = "--hardware", description = "Measure the machine instead of a model.")
  boolean hardware;

  @Option(
      names = "--block-size",
      defaultValue = "16",
      description =
          "KV block size to profile with; must match serving (default: ${DEFAULT-VALUE}).")
  int blockSize;

  @Option(names = "--quick", description = "A small sweep (for tests and smoke runs).")
  boolean quick;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter log = spec.commandLine().getOut();
    String command = "weft " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    if (hardware) {
      return hardware(log, command);
    }
    if (model == null) {
      throw new IllegalArgumentException("--model is required (or --hardware)");
    }
    if (blockSize < 1) {
      throw new IllegalArgumentException("--block-size is " + blockSize + ", must be >= 1");
    }
    LoadedModel loaded = SimModels.load(model);
    int context = loaded.config().maxSeqLen();
    ProfileSweep sweep =
        new ProfileSweep(loaded, ServingOptions.defaults().withBlockSize(blockSize), log);
    log.printf(
        "profiling %s (%s) with block size %d%n",
        loaded.name(), LiveEngine.shapeOf(loaded.name(), loaded.config()).describe(), blockSize);
    long t0 = System.nanoTime();
    List<StepSample> steps =
        sweep.run(
            quick ? ProfileSweep.Plan.quick(context) : ProfileSweep.Plan.standard(context),
            quick ? 1 : 2);
    Calibration calibration =
        new Calibration(
            Calibration.VERSION,
            LiveEngine.shapeOf(loaded.name(), loaded.config()),
            blockSize,
            MachineInfo.current(),
            command,
            Instant.now().toString(),
            steps);
    CalibrationFiles.write(out, calibration);
    FitReport fit = FittedCostModel.fit(calibration).report();
    log.printf("wrote %s: %d steps in %.1f s%n", out, steps.size(), (System.nanoTime() - t0) / 1e9);
    log.printf(
        "steps from the server's step records: mean step %.2f ms, of it %.3f ms streaming events"
            + " to the clients%n",
        sweep.meanStepNanos() / 1e6, sweep.meanStreamNanos() / 1e6);
    log.printf("cost model candidates (leave-one-point-out error): %s%n", fit.candidates());
    log.printf(
        "chosen: %s; held-out error on %d points (%d steps): mean %.2f%% per step, %.2f%% in"
            + " total%n",
        fit.form(),
        fit.heldOutPoints(),
        fit.heldOutSteps(),
        fit.heldOutMeanErrorPercent(),
        fit.heldOutTotalErrorPercent());
    return 0;
  }

  private int hardware(PrintWriter log, String command) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      double bandwidth = HardwareProbe.readBytesPerSecond(manager);
      HardwareProfile.Matmul[] matmuls = HardwareProbe.matmuls(manager);
      double op = HardwareProbe.opOverheadNanos(manager);
      HardwareProfile profile =
          new HardwareProfile(
              HardwareProfile.VERSION,
              MachineInfo.current(),
              command,
              Instant.now().toString(),
              bandwidth,
              List.of(matmuls),
              op);
      CalibrationFiles.write(out, profile);
      log.printf("machine: %s%n", profile.machine().describe());
      log.printf("read bandwidth: %.2f GB/s%n", bandwidth / 1e9);
      for (HardwareProfile.Matmul m : matmuls) {
        log.printf(
            "matmul %5d x %5d x %5d: %9.3f ms, %7.2f GFLOP/s%n",
            m.rows(), m.in(), m.out(), m.seconds() * 1e3, m.flopsPerSecond() / 1e9);
      }
      log.printf("per-op overhead: %.1f us%n", op / 1e3);
      log.printf("wrote %s%n", out);
    }
    return 0;
  }
}
