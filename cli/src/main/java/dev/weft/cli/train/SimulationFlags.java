package dev.weft.cli.train;

import dev.weft.trainer.sim.ComputeProfile;
import dev.weft.trainer.sim.NetworkModel;
import dev.weft.trainer.sim.SimulationOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code weft train --simulate} and the simulated network and compute model's flags. */
final class SimulationFlags {

  @Option(
      names = "--simulate",
      description = "run every worker in this process on a virtual clock (up to 256 workers)")
  boolean simulate;

  @Option(
      names = "--sim-latency-ms",
      defaultValue = "0.5",
      description = "simulated one-way latency per message (default ${DEFAULT-VALUE})")
  double latencyMs;

  @Option(
      names = "--sim-bandwidth-mbps",
      defaultValue = "1000",
      description = "simulated per-process bandwidth, megabytes/s (default ${DEFAULT-VALUE})")
  double bandwidthMbps;

  @Option(
      names = "--sim-host-bandwidth-mbps",
      defaultValue = "0",
      description =
          "model every process on one machine whose loopback moves this many megabytes/s in"
              + " total, shared by all transfers (e.g. N worker JVMs on one host, where bytes cost"
              + " CPU); 0 for separate machines (default ${DEFAULT-VALUE})")
  double hostBandwidthMbps;

  @Option(
      names = "--sim-host-cpus",
      defaultValue = "0",
      paramLabel = "C",
      description =
          "with --sim-host-bandwidth-mbps: processors that message handling shares with the"
              + " workers computing on the host; a message sent while k workers compute takes"
              + " max(1, (k+1)/C) times its latency and host time; 0 for no sharing"
              + " (default ${DEFAULT-VALUE})")
  double hostCpus;

  @Option(
      names = "--sim-link-delay",
      paramLabel = "A-B=MS",
      description = "extra one-way delay between ranks A and B (repeatable)")
  List<String> linkDelays = new ArrayList<>();

  @Option(
      names = "--sim-compute-ms",
      description =
          "simulated forward/backward time per iteration (default: measure the model at startup)")
  Double computeMs;

  @Option(
      names = "--sim-compute-from",
      paramLabel = "METRICS.csv",
      description =
          "calibrate compute from a real run's metrics.csv: each iteration draws one of its"
              + " measured per-iteration times less exchange (slowed ranks left out; from the"
              + " same rank's when the real run had as many workers)")
  Path computeFrom;

  @Option(
      names = "--sim-compute-window",
      defaultValue = "50",
      paramLabel = "ITERATIONS",
      description =
          "with --sim-compute-from, iteration i draws from the real run's iterations within"
              + " this window around i, keeping its start-up slowdown; 0 draws from the whole run"
              + " (default ${DEFAULT-VALUE})")
  int computeWindow;

  @Option(
      names = "--sim-eval-ms",
      defaultValue = "0",
      description =
          "simulated test-set evaluation time with --sim-compute-ms (default ${DEFAULT-VALUE})")
  double evalMs;

  @Option(
      names = "--sim-cores",
      defaultValue = "0",
      description =
          "cores the simulated workers share, stretching compute as on one small machine"
              + " (default ${DEFAULT-VALUE}: one core per worker)")
  double cores;

  /**
   * @param workers the simulated run's workers; calibrating from a real run of as many, each rank
   *     draws from its own twin's times
   * @param slowedRanks ranks with an injected slowdown, left out of a {@code --sim-compute-from}
   *     calibration (the simulation applies their factor itself)
   */
  SimulationOptions options(int workers, Set<Integer> slowedRanks) throws IOException {
    if (!simulate) {
      throw new IllegalArgumentException("--sim-* options need --simulate");
    }
    NetworkModel network =
        new NetworkModel(
            millisToNanos("--sim-latency-ms", latencyMs),
            bandwidthMbps * 1e6,
            64,
            parseLinkDelays(linkDelays),
            hostBandwidthMbps * 1e6,
            hostCpus);
    ComputeProfile compute = null;
    Map<Integer, ComputeProfile> rankCompute = Map.of();
    if (computeMs != null) {
      compute =
          ComputeProfile.fixed(
              Duration.ofNanos(millisToNanos("--sim-compute-ms", computeMs)),
              Duration.ofNanos(millisToNanos("--sim-eval-ms", evalMs)));
    }
    if (computeFrom != null) {
      if (compute != null) {
        throw new IllegalArgumentException("give --sim-compute-ms or --sim-compute-from, not both");
      }
      if (computeWindow < 0) {
        throw new IllegalArgumentException(
            "--sim-compute-window must be >= 0 (0: the whole run), got " + computeWindow);
      }
      ComputeProfile.Calibration real =
          ComputeProfile.calibrate(computeFrom, slowedRanks, computeWindow);
      compute = real.pooled();
      if (real.workers() == workers) {
        // A twin of the real run: each rank keeps its own rhythm (AD-PSGD's passive workers
        // compute while the active ones exchange).
        rankCompute = real.byRank();
      }
    }
    return new SimulationOptions(network, compute, cores, 30, rankCompute);
  }

  private static long millisToNanos(String flag, double ms) {
    if (!(ms >= 0) || Double.isInfinite(ms)) {
      throw new IllegalArgumentException(flag + " must be >= 0, got " + ms);
    }
    return (long) (ms * 1e6);
  }

  static Map<Long, Long> parseLinkDelays(List<String> specs) {
    Map<Long, Long> m = new HashMap<>();
    for (String s : specs) {
      String[] kv = s.split("=");
      String[] ab = kv[0].split("-");
      try {
        if (kv.length != 2 || ab.length != 2) {
          throw new NumberFormatException();
        }
        m.put(
            NetworkModel.linkKey(Integer.parseInt(ab[0].trim()), Integer.parseInt(ab[1].trim())),
            millisToNanos("--sim-link-delay", Double.parseDouble(kv[1].trim())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--sim-link-delay '" + s + "' is not A-B=MS (e.g. 0-3=2.5)");
      }
    }
    return m;
  }
}
