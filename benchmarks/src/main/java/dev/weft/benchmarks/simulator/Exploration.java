package dev.weft.benchmarks.simulator;

import dev.weft.data.trace.AzureTrace;
import dev.weft.data.trace.TraceRequest;
import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.KvShape;
import dev.weft.scheduler.PreemptionMode;
import dev.weft.scheduler.SchedulerConfig;
import dev.weft.scheduler.SchedulingPolicy;
import dev.weft.scheduler.ServingConfig;
import dev.weft.scheduler.SwapCostModel;
import dev.weft.simulator.CostModel;
import dev.weft.simulator.SimulationResult;
import dev.weft.simulator.Simulator;
import dev.weft.simulator.calibration.Calibration;
import dev.weft.simulator.calibration.CalibrationFiles;
import dev.weft.simulator.calibration.MachineInfo;
import dev.weft.simulator.calibration.ModelShape;
import dev.weft.simulator.cost.FittedCostModel;
import dev.weft.simulator.cost.HardwareSpec;
import dev.weft.simulator.cost.RooflineCostModel;
import dev.weft.simulator.metrics.RequestTiming;
import dev.weft.simulator.metrics.ServingMetrics;
import dev.weft.simulator.workload.Workload;
import dev.weft.simulator.workload.WorkloadRequest;
import dev.weft.simulator.workload.Workloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The simulator's exploration report: the Azure trace on this CPU (fitted profile and measured
 * roofline) against modelled A100/H100/H200 rooflines, then on the H100 roofline under pressure:
 * block size 8/16/32, FCFS vs priority, a KV memory sweep, recompute vs swap. Every run is a
 * simulation (the 15M shape); nothing here is measured on a GPU.
 *
 * <p>Usage: {@code Exploration PROFILE HARDWARE_PROFILE TRACE OUT_DIR [REQUESTS]}
 */
public final class Exploration {

  private final Calibration calibration;
  private final ModelShape model;
  private final HardwareSpec cpu;
  private final List<TraceRequest> trace;
  private final List<String[]> csv = new ArrayList<>();
  private final StringBuilder md = new StringBuilder();
  private final List<Charts.Series> charts = new ArrayList<>();
  private double wallSeconds;
  private double simulatedSeconds;

  Exploration(Calibration calibration, HardwareSpec cpu, List<TraceRequest> trace) {
    this.calibration = calibration;
    this.model = calibration.model();
    this.cpu = cpu;
    this.trace = trace;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      throw new IllegalArgumentException(
          "usage: Exploration PROFILE HARDWARE_PROFILE TRACE OUT_DIR [REQUESTS]");
    }
    Calibration c = CalibrationFiles.readCalibration(Path.of(args[0]));
    HardwareSpec cpu =
        HardwareSpec.measured(
            CalibrationFiles.readHardware(Path.of(args[1])), 16 * c.model().layers());
    int n = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
    Exploration e = new Exploration(c, cpu, AzureTrace.load(Path.of(args[2]), n));
    e.run(Path.of(args[3]), String.join(" ", args));
  }

  ServingConfig config(
      int blockSize,
      long kvBytes,
      int bytesPerElement,
      SchedulingPolicy policy,
      PreemptionMode preemption,
      long swapBytes,
      double linkBytesPerSecond) {
    KvShape kv = new KvShape(model.layers(), model.kvHeads(), model.headDim(), bytesPerElement);
    int hostBlocks = (int) (swapBytes / kv.bytesPerBlock(blockSize));
    return new ServingConfig(
        SchedulerConfig.of(256, 8192, model.context(), 100_000)
            .withPolicy(policy)
            .withPreemption(preemption),
        CacheConfig.of(blockSize, CacheConfig.blocksFor(kvBytes, kv, blockSize))
            .withHostStore(
                hostBlocks,
                new SwapCostModel(kv.bytesPerBlock(blockSize), linkBytesPerSecond, 10_000)));
  }

  Workload workload(double timeScale, int priorities) {
    Workload w = Workloads.fromTrace(trace, timeScale, model.context(), 0, model.vocab());
    if (priorities <= 1) {
      return w;
    }
    SplittableRandom random = new SplittableRandom(5);
    List<WorkloadRequest> out = new ArrayList<>();
    for (WorkloadRequest r : w.requests()) {
      out.add(
          new WorkloadRequest(
              r.id(),
              r.arrivalNanos(),
              r.promptTokens(),
              r.outputTokens(),
              random.nextInt(priorities)));
    }
    return new Workload(out, 0, w.tokenSeed(), w.vocabSize());
  }

  SimulationResult sim(
      String study, String variant, ServingConfig config, CostModel cost, Workload w) {
    SimulationResult r = new Simulator(config, cost).run(w);
    wallSeconds += r.wallNanos() / 1e9;
    simulatedSeconds += r.simulatedNanos() / 1e9;
    ServingMetrics m = r.metrics();
    int preempted = r.steps().stream().mapToInt(s -> s.numPreempted()).sum();
    csv.add(
        new String[] {
          study,
          variant,
          fmt(m.outputThroughput()),
          fmt(m.ttftMs().mean()),
          fmt(m.ttftMs().p99()),
          fmt(m.tpotMs().mean()),
          fmt(m.tpotMs().p99()),
          fmt(m.e2eMs().mean()),
          fmt(m.e2eMs().p99()),
          Integer.toString(preempted),
          Integer.toString(m.completed()),
          Integer.toString(m.failed()),
          Integer.toString(config.cache().numBlocks())
        });
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %.1f | %.1f | %.1f | %.2f | %.2f | %.1f | %d | %d |%n",
            variant,
            m.outputThroughput(),
            m.ttftMs().mean(),
            m.ttftMs().p99(),
            m.tpotMs().mean(),
            m.tpotMs().p99(),
            m.e2eMs().mean(),
            preempted,
            config.cache().numBlocks()));
    return r;
  }

  private void header(String title, String note) {
    md.append("\n## ").append(title).append("\n\n").append(note).append("\n\n");
    md.append(
        "| variant | throughput (tok/s) | mean TTFT (ms) | P99 TTFT (ms) | mean TPOT (ms) | P99 TPOT (ms) | mean E2E (ms) | preemptions | KV blocks |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  }

  void run(Path out, String args) throws IOException {
    Files.createDirectories(out);
    CostModel fitted = FittedCostModel.fit(calibration);
    RooflineCostModel h100 = new RooflineCostModel(HardwareSpec.H100, model);
    md.append("# Simulator exploration: Azure conversation trace, 15M shape\n\n");
    md.append("Command: `Exploration ").append(args).append("` (see explore.sh)  \n");
    md.append("Machine (for the measured CPU numbers): ")
        .append(MachineInfo.current().describe())
        .append("  \n");
    md.append(
        String.format(
            Locale.ROOT,
            "Workload: first %d requests of the trace, clipped by: %s. GPU rows are **modelled** rooflines (%s), not measurements.%n",
            trace.size(),
            Workloads.CLIP_RULE,
            HardwareSpec.H100.source()));

    header(
        "Hardware: the trace at its own rate",
        "KV cache 1 GiB (bf16 on GPUs, f32 on the CPU), block 16, FCFS, recompute. CPU fitted = the profile's cost model (measured); CPU roofline = weft profile --hardware (measured rates, analytic model).");
    Workload real = workload(1, 1);
    sim(
        "hardware",
        "cpu (fitted profile)",
        config(16, 1L << 30, 4, SchedulingPolicy.FCFS, PreemptionMode.RECOMPUTE, 0, 10e9),
        fitted,
        real);
    sim(
        "hardware",
        "cpu (measured roofline)",
        config(16, 1L << 30, 4, SchedulingPolicy.FCFS, PreemptionMode.RECOMPUTE, 0, 10e9),
        new RooflineCostModel(cpu, model),
        real);
    for (HardwareSpec gpu : List.of(HardwareSpec.A100, HardwareSpec.H100, HardwareSpec.H200)) {
      sim(
          "hardware",
          gpu.name() + " (modelled roofline)",
          config(16, 1L << 30, 2, SchedulingPolicy.FCFS, PreemptionMode.RECOMPUTE, 0, 50e9),
          new RooflineCostModel(gpu, model),
          real);
    }
    // Pressure on the H100 roofline: arrivals 400x faster, 48 MiB of KV.
    double scale = 400;
    long kv = 48L << 20;
    Workload fast = workload(scale, 1);
    header(
        "Block size (H100 roofline, trace 400x faster, 48 MiB KV)",
        "Larger blocks waste more of each request's last block, so fewer requests fit.");
    List<double[]> blockPoints = new ArrayList<>();
    for (int b : new int[] {8, 16, 32}) {
      ServingMetrics m =
          sim(
                  "block size",
                  "block " + b,
                  config(b, kv, 2, SchedulingPolicy.FCFS, PreemptionMode.RECOMPUTE, 0, 50e9),
                  h100,
                  fast)
              .metrics();
      blockPoints.add(new double[] {b, m.ttftMs().mean()});
    }
    charts.add(new Charts.Series("mean TTFT (ms) by block size", "block size", blockPoints));

    header(
        "FCFS vs priority (H100 roofline, trace 400x faster, 48 MiB KV, 4 priority classes drawn at random)",
        "Below the table: mean TTFT of each priority class (0 is the most urgent).");
    Workload prioritized = workload(scale, 4);
    StringBuilder classes =
        new StringBuilder(
            "\n| policy | class 0 mean TTFT (ms) | class 1 | class 2 | class 3 |\n|---|---:|---:|---:|---:|\n");
    for (SchedulingPolicy p : List.of(SchedulingPolicy.FCFS, SchedulingPolicy.PRIORITY)) {
      SimulationResult r =
          sim(
              "policy",
              p.name().toLowerCase(Locale.ROOT),
              config(16, kv, 2, p, PreemptionMode.RECOMPUTE, 0, 50e9),
              h100,
              prioritized);
      classes.append("| ").append(p.name().toLowerCase(Locale.ROOT));
      for (int c = 0; c < 4; c++) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < r.requests().size(); i++) {
          RequestTiming t = r.requests().get(i);
          if (prioritized.requests().get(i).priority() == c
              && t.completed()
              && t.outputTokens() > 0) {
            sum += (t.tokenNanos()[0] - t.sentNanos()) / 1e6;
            n++;
          }
        }
        classes.append(String.format(Locale.ROOT, " | %.1f", sum / Math.max(1, n)));
      }
      classes.append(" |\n");
    }
    md.append(classes);

    header(
        "KV memory sweep (H100 roofline, trace 400x faster)",
        "Less KV memory: fewer requests run at once, more preemption.");
    List<double[]> kvPoints = new ArrayList<>();
    for (long mib : new long[] {16, 24, 32, 48, 64, 128, 256}) {
      ServingMetrics m =
          sim(
                  "kv memory",
                  mib + " MiB",
                  config(
                      16, mib << 20, 2, SchedulingPolicy.FCFS, PreemptionMode.RECOMPUTE, 0, 50e9),
                  h100,
                  fast)
              .metrics();
      kvPoints.add(new double[] {mib, m.outputThroughput()});
    }
    charts.add(new Charts.Series("throughput (tok/s) by KV memory (MiB)", "KV MiB", kvPoints));

    header(
        "Recompute vs swap (H100 roofline, trace 400x faster, 24 MiB KV, 256 MiB host swap over modelled PCIe 5 at 50 GB/s)",
        "");
    for (PreemptionMode mode : List.of(PreemptionMode.RECOMPUTE, PreemptionMode.SWAP)) {
      sim(
          "preemption",
          mode.name().toLowerCase(Locale.ROOT),
          config(16, 24L << 20, 2, SchedulingPolicy.FCFS, mode, 256L << 20, 50e9),
          h100,
          fast);
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nAll %d simulations: %.0f simulated s in %.1f wall s (%.0f simulated s per wall s).%n",
            csv.size(),
            simulatedSeconds,
            wallSeconds,
            simulatedSeconds / wallSeconds));
    List<String> lines = new ArrayList<>();
    lines.add(
        "study,variant,output_throughput,mean_ttft_ms,p99_ttft_ms,mean_tpot_ms,p99_tpot_ms,mean_e2e_ms,p99_e2e_ms,preemptions,completed,failed,kv_blocks");
    for (String[] row : csv) {
      lines.add(String.join(",", row));
    }
    Files.write(out.resolve("exploration.csv"), lines);
    md.append("\n![block size](block-size.png) ![kv memory](kv-memory.png)\n");
    Files.writeString(out.resolve("exploration.md"), md.toString());
    Charts.line(out.resolve("block-size.png"), charts.get(0));
    Charts.line(out.resolve("kv-memory.png"), charts.get(1));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
