package dev.weft.cli.sim;

import dev.weft.data.trace.AzureTrace;
import dev.weft.data.trace.TraceRequest;
import dev.weft.scheduler.ServingConfig;
import dev.weft.simulator.CostModel;
import dev.weft.simulator.SimulationResult;
import dev.weft.simulator.Simulator;
import dev.weft.simulator.calibration.Calibration;
import dev.weft.simulator.calibration.CalibrationFiles;
import dev.weft.simulator.cost.FittedCostModel;
import dev.weft.simulator.cost.HardwareSpec;
import dev.weft.simulator.cost.RooflineCostModel;
import dev.weft.simulator.workload.Workload;
import dev.weft.simulator.workload.Workloads;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft simulate}: the serving loop on a virtual clock with a profiled or roofline cost. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate serving a workload: the scheduler's own serving loop on a virtual clock, each"
          + " step costed by a model fitted to --profile (or the --hardware roofline). Prints"
          + " bench serve's metrics and simulated seconds per wall second."
    })
public final class SimulateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--profile",
      required = true,
      paramLabel = "FILE",
      description = "Calibration file from weft profile (gives the model shape and step costs).")
  Path profile;

  static final class Source {
    @Option(
        names = "--trace",
        required = true,
        paramLabel = "PATH",
        description = "Azure-format trace CSV (TIMESTAMP,ContextTokens,GeneratedTokens).")
    Path trace;

    @Option(
        names = "--synthetic",
        required = true,
        paramLabel = "P:O",
        description = "Synthetic requests of P prompt and O output tokens (with --rate).")
    String synthetic;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--time-scale",
      defaultValue = "1",
      description = "Divide trace arrival times by X (2 replays twice as fast), as bench serve.")
  double timeScale;

  @Option(
      names = "--length-scale",
      defaultValue = "1",
      description = "Multiply the trace's prompt and output lengths by F (rounded, >= 1).")
  double lengthScale;

  @Option(names = "--rate", description = "Synthetic arrivals per second.")
  Double rate;

  @Option(
      names = "--cv",
      defaultValue = "1",
      description = "Coefficient of variation of synthetic gaps (1 = Poisson; gamma otherwise).")
  double cv;

  @Option(
      names = "--clients",
      defaultValue = "0",
      description = "Closed loop: N clients, each sending its next request when one ends.")
  int clients;

  @Option(
      names = "--priorities",
      defaultValue = "1",
      description = "Draw synthetic priorities from 0..K-1 (for --policy priority).")
  int priorities;

  @Option(
      names = "--max-requests",
      defaultValue = "1000",
      description = "Requests to simulate (default: ${DEFAULT-VALUE}).")
  int maxRequests;

  @Option(
      names = "--hardware",
      paramLabel = "NAME",
      description =
          "Roofline instead of the fitted model: a100, h100, h200 (modelled from spec"
              + " sheets) or cpu (measured; needs --hardware-profile).")
  String hardware;

  @Option(
      names = "--hardware-profile",
      paramLabel = "FILE",
      description = "File from weft profile --hardware, for --hardware cpu.")
  Path hardwareProfile;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of arrivals and prompts.")
  long seed;

  @Mixin SimServingFlags serving;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Calibration calibration = CalibrationFiles.readCalibration(profile);
    Setup setup = setup(calibration);
    SimulationResult result = new Simulator(setup.config, setup.cost).run(setup.workload);
    out.println("cost model: " + setup.cost.describe());
    out.printf(
        "config: %d KV blocks of %d, max %d seqs, %d batched tokens, %s, %s, %s%n",
        setup.config.cache().numBlocks(),
        setup.config.cache().blockSize(),
        setup.config.scheduler().maxNumSeqs(),
        setup.config.scheduler().maxBatchedTokens(),
        setup.config.scheduler().mode(),
        setup.config.scheduler().policy(),
        setup.config.scheduler().preemption());
    if (setup.clipped > 0) {
      out.printf(
          "%d requests clipped to the %d-token context%n",
          setup.clipped, calibration.model().context());
    }
    out.print(result.metrics().table());
    out.printf(
        "preemptions: %d; steps: %d%n",
        result.steps().stream().mapToInt(s -> s.numPreempted()).sum(), result.steps().size());
    out.printf(
        "simulated %.1f s in %.2f s wall: %.0f simulated seconds per wall second%n",
        result.simulatedNanos() / 1e9, result.wallNanos() / 1e9, result.speedup());
    return 0;
  }

  record Setup(ServingConfig config, CostModel cost, Workload workload, int clipped) {}

  Setup setup(Calibration calibration) {
    if (maxRequests < 1) {
      throw new IllegalArgumentException("--max-requests is " + maxRequests + ", must be >= 1");
    }
    CostModel cost;
    ServingConfig config;
    if (hardware == null) {
      CalibrationFiles.requireMatches(profile, calibration, calibration.model(), serving.blockSize);
      config = serving.toConfig(calibration.model(), 4, 10e9);
      cost = FittedCostModel.fit(calibration);
    } else {
      HardwareSpec spec;
      if (hardware.equalsIgnoreCase("cpu")) {
        if (hardwareProfile == null) {
          throw new IllegalArgumentException("--hardware cpu needs --hardware-profile FILE");
        }
        spec =
            HardwareSpec.measured(
                CalibrationFiles.readHardware(hardwareProfile), 16 * calibration.model().layers());
      } else {
        spec = HardwareSpec.gpu(hardware);
      }
      double link =
          hardware.equalsIgnoreCase("a100") ? 25e9 : hardware.equalsIgnoreCase("cpu") ? 10e9 : 50e9;
      config = serving.toConfig(calibration.model(), spec.bytesPerElement(), link);
      cost = new RooflineCostModel(spec, calibration.model());
    }
    int vocab = calibration.model().vocab();
    Workload workload;
    int clipped = 0;
    if (source.trace != null) {
      if (!(lengthScale > 0)) {
        throw new IllegalArgumentException("--length-scale must be > 0, got " + lengthScale);
      }
      List<TraceRequest> trace =
          ValidateCommand.scale(AzureTrace.load(source.trace, maxRequests), lengthScale);
      clipped = Workloads.clipped(trace, calibration.model().context());
      workload = Workloads.fromTrace(trace, timeScale, calibration.model().context(), seed, vocab);
    } else {
      String[] po = source.synthetic.split(":");
      int p;
      int o;
      try {
        p = Integer.parseInt(po[0].strip());
        o = Integer.parseInt(po[1].strip());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--synthetic '" + source.synthetic + "': expected P:O, e.g. 512:128");
      }
      if (rate == null && clients == 0) {
        throw new IllegalArgumentException("--synthetic needs --rate R (or --clients N)");
      }
      workload =
          Workloads.synthetic(
              maxRequests, p, o, rate == null ? 1 : rate, cv, priorities, seed, vocab);
    }
    if (clients > 0) {
      workload = Workloads.closedLoop(workload, clients);
    }
    return new Setup(config, cost, workload, clipped);
  }
}
