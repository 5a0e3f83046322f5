package dev.weft.cli.sim;

import dev.weft.data.trace.AzureTrace;
import dev.weft.data.trace.TraceRequest;
import dev.weft.engine.model.LoadedModel;
import dev.weft.server.ServingOptions;
import dev.weft.simulator.calibration.Calibration;
import dev.weft.simulator.calibration.CalibrationFiles;
import dev.weft.simulator.calibration.MachineInfo;
import dev.weft.simulator.calibration.ModelShape;
import dev.weft.simulator.cost.FitReport;
import dev.weft.simulator.cost.FittedCostModel;
import dev.weft.simulator.workload.Workload;
import dev.weft.simulator.workload.Workloads;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft validate}: live server against simulator, per load and metric. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Run a trace at several loads on the live server (weft.v1.Inference over loopback gRPC)"
          + " and in the simulator, whose cost model comes only from a profile sweep (--profile,"
          + " or a sweep run first), and print live, simulated and relative error per metric."
          + " Loads: light (30% of simulated capacity), medium (70%), heavy (150%), or a fraction."
    })
public final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "NAME|PATH")
  String model;

  @Option(names = "--trace", required = true, paramLabel = "PATH")
  Path trace;

  @Option(
      names = "--loads",
      defaultValue = "light,medium,heavy",
      split = ",",
      description = "light, medium, heavy, or fractions of capacity (default: ${DEFAULT-VALUE}).")
  List<String> loads;

  @Option(names = "--max-requests", defaultValue = "1000")
  int maxRequests;

  @Option(
      names = "--profile",
      paramLabel = "FILE",
      description =
          "Calibration file; without it a profile sweep runs first into DIR/profile.json.")
  Path profile;

  @Option(names = "--out", required = true, paramLabel = "DIR")
  Path out;

  @Option(
      names = "--length-scale",
      defaultValue = "1",
      description = "Multiply the trace's prompt and output lengths by F (rounded, >= 1).")
  double lengthScale;

  @Option(names = "--block-size", defaultValue = "16")
  int blockSize;

  @Option(names = "--max-num-seqs", defaultValue = "64")
  int maxNumSeqs;

  @Option(names = "--max-batched-tokens", defaultValue = "2048")
  int maxBatchedTokens;

  @Option(names = "--kv-cache-memory", defaultValue = "256MiB")
  String kvCacheMemory;

  @Option(names = "--seed", defaultValue = "0")
  long seed;

  @Option(
      names = "--steps-dir",
      paramLabel = "DIR",
      description = "Also write each load's live step log (the server's --step-log) to DIR.")
  Path stepsDir;

  @Override
  public Integer call() throws InterruptedException, java.io.IOException {
    PrintWriter log = spec.commandLine().getOut();
    String command = "weft " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    if (!(lengthScale > 0) || maxRequests < 1) {
      throw new IllegalArgumentException("--length-scale must be > 0 and --max-requests >= 1");
    }
    List<Double> fractions = new ArrayList<>();
    for (String load : loads) {
      fractions.add(fraction(load));
    }
    List<TraceRequest> requests = scale(AzureTrace.load(trace, maxRequests), lengthScale);
    LoadedModel loaded = SimModels.load(model);
    ModelShape shape = LiveEngine.shapeOf(loaded.name(), loaded.config());
    ServingOptions options =
        ServingOptions.defaults()
            .withKvCacheMemory(SimServingFlags.bytes("--kv-cache-memory", kvCacheMemory))
            .withBlockSize(blockSize)
            .withLimits(maxNumSeqs, maxBatchedTokens, ServingOptions.defaults().maxWaiting());
    Calibration calibration;
    Path profileFile = profile;
    if (profile != null) {
      calibration = CalibrationFiles.readCalibration(profile);
      CalibrationFiles.requireMatches(profile, calibration, shape, blockSize);
    } else {
      profileFile = out.resolve("profile.json");
      log.println("no --profile: running a profile sweep first");
      ProfileSweep sweep = new ProfileSweep(loaded, options, log);
      calibration =
          new Calibration(
              Calibration.VERSION,
              shape,
              blockSize,
              MachineInfo.current(),
              command + " (its profile sweep)",
              Instant.now().toString(),
              sweep.run(ProfileSweep.Plan.standard(shape.context()), 2));
      CalibrationFiles.write(profileFile, calibration);
    }
    FittedCostModel cost = FittedCostModel.fit(calibration);
    FitReport fit = cost.report();
    if (stepsDir != null) {
      java.nio.file.Files.createDirectories(stepsDir);
    }
    ValidationRun run = new ValidationRun(loaded, options, cost, stepsDir);
    Workload base = Workloads.fromTrace(requests, 1, shape.context(), seed, shape.vocab());
    double capacity = run.capacity(base);
    double traceRate =
        (requests.size() - 1)
            / Math.max(1e-9, requests.get(requests.size() - 1).arrivalNanos() / 1e9);
    StringBuilder header = new StringBuilder();
    header.append("# Validation: live server vs simulator\n\n");
    header.append("Command: `").append(command).append("`\n\n");
    header.append("Machine: ").append(MachineInfo.current().describe()).append("\n\n");
    header.append(
        String.format(
            Locale.ROOT,
            "Model: %s (%s). Trace: %s, first %d requests, lengths x %s (%d clipped to the context)."
                + " Profile: %s (%d steps, measured %s on %s); cost model %s, held-out error %.2f%% per"
                + " step, %.2f%% in total.%n%n",
            loaded.name(),
            shape.describe(),
            trace,
            requests.size(),
            lengthScale,
            Workloads.clipped(requests, shape.context()),
            profileFile,
            calibration.steps().size(),
            calibration.created(),
            calibration.machine().describe(),
            fit.form(),
            fit.heldOutMeanErrorPercent(),
            fit.heldOutTotalErrorPercent()));
    header.append(
        String.format(
            Locale.ROOT,
            "Serving: %d KV blocks of %d, max %d seqs, %d batched tokens. Simulated capacity %.3f req/s"
                + " (closed loop, %d clients); the trace's own rate is %.3f req/s.%n",
            run.config().cache().numBlocks(),
            blockSize,
            maxNumSeqs,
            maxBatchedTokens,
            capacity,
            maxNumSeqs,
            traceRate));
    log.print(header);
    List<ValidationRun.LoadResult> results = new ArrayList<>();
    List<Comparison.Row> rows = new ArrayList<>();
    for (int i = 0; i < loads.size(); i++) {
      String name = loads.get(i);
      double rate = fractions.get(i) * capacity;
      Workload w =
          Workloads.fromTrace(requests, rate / traceRate, shape.context(), seed, shape.vocab());
      log.printf(
          Locale.ROOT,
          "load %s: %.3f req/s (%.0f%% of capacity), %d requests...%n",
          name,
          rate,
          100 * fractions.get(i),
          requests.size());
      log.flush();
      ValidationRun.LoadResult r = run.run(name, rate, w);
      if (!r.liveErrors().isEmpty()) {
        log.printf(
            "  %d live requests failed, e.g. %s%n", r.liveErrors().size(), r.liveErrors().get(0));
      }
      List<Comparison.Row> loadRows = Comparison.rows(r);
      log.print(ValidationReport.table(loadRows));
      log.print(StepCheck.table(r.stepCheck()));
      log.printf(
          Locale.ROOT,
          "  live %.1f s wall; CPU s: serving loop %.1f, load-client sender %.1f (%.1f%% of a"
              + " core), gRPC %.1f, other %.1f; simulated in %.2f s (%.0f simulated s per wall s)%n",
          r.liveWallSeconds(),
          r.loopCpuSeconds(),
          r.clientCpuSeconds(),
          100 * r.clientCpuSeconds() / r.liveWallSeconds(),
          r.grpcCpuSeconds(),
          r.otherCpuSeconds(),
          r.simWallSeconds(),
          r.simSpeedup());
      log.flush();
      results.add(r);
      rows.addAll(loadRows);
    }
    Comparison.Row worst = Comparison.worst(rows);
    String last =
        String.format(
            Locale.ROOT,
            "worst targeted error: %.2f%% (%s, %s)",
            worst.errorPercent(),
            worst.metric(),
            worst.load());
    ValidationReport.write(out, header.toString(), results, rows, last);
    log.println("wrote " + out.resolve("validation.md") + ", validation.csv and cdf-*.png");
    log.println(last);
    return 0;
  }

  static double fraction(String load) {
    switch (load.strip().toLowerCase(Locale.ROOT)) {
      case "light":
        return 0.3;
      case "medium":
        return 0.7;
      case "heavy":
        return 1.5;
      default:
        try {
          double f = Double.parseDouble(load.strip());
          if (f > 0) {
            return f;
          }
        } catch (NumberFormatException e) {
          // fall through
        }
        throw new IllegalArgumentException(
            "invalid load '" + load + "': light, medium, heavy or a fraction of capacity > 0");
    }
  }

  static List<TraceRequest> scale(List<TraceRequest> trace, double f) {
    if (f == 1) {
      return trace;
    }
    List<TraceRequest> out = new ArrayList<>(trace.size());
    for (TraceRequest t : trace) {
      out.add(
          new TraceRequest(
              t.arrivalNanos(),
              Math.max(1, (int) Math.round(t.promptTokens() * f)),
              Math.max(1, (int) Math.round(t.outputTokens() * f))));
    }
    return out;
  }
}
