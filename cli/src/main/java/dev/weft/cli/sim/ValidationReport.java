package dev.weft.cli.sim;

import dev.weft.simulator.metrics.ServingMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a validation's Markdown and CSV, and one CDF chart per load. */
final class ValidationReport {
  private ValidationReport() {}

  static String table(List<Comparison.Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| load | metric | live | simulated | error | target | live P99 95% CI | sim P99 95% CI |\n");
    b.append("|---|---|---:|---:|---:|---:|---|---|\n");
    for (Comparison.Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.2f | %.2f | %.2f%% | %s | %s | %s |%n",
              r.load(),
              r.metric() + (r.metric().equals("throughput") ? " (tok/s)" : " (ms)"),
              r.live(),
              r.simulated(),
              r.errorPercent(),
              r.targeted()
                  ? String.format(
                      Locale.ROOT, "%.0f%%%s", r.targetPercent(), r.met() ? "" : " **missed**")
                  : "",
              interval(r.liveLow(), r.liveHigh()),
              interval(r.simLow(), r.simHigh())));
    }
    return b.toString();
  }

  private static String interval(double lo, double hi) {
    return Double.isNaN(lo) ? "" : String.format(Locale.ROOT, "[%.1f, %.1f]", lo, hi);
  }

  static void write(
      Path dir,
      String header,
      List<ValidationRun.LoadResult> results,
      List<Comparison.Row> rows,
      String worst) {
    try {
      Files.createDirectories(dir);
      StringBuilder md = new StringBuilder(header).append("\n");
      md.append(
          "CPU seconds by thread group of the one JVM (server and client run in-process): the"
              + " serving loop, the load client's sender, gRPC (client and server side), and the"
              + " rest (PyTorch's intra-op workers, GC, JIT).\n\n");
      md.append(
          "| load | rate (req/s) | requests ok live/sim | live wall (s) | serving-loop CPU |"
              + " load-client sender CPU | gRPC CPU | other CPU | sim wall (s) | sim s per wall s |\n");
      md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (ValidationRun.LoadResult r : results) {
        ServingMetrics l = r.liveMetrics();
        ServingMetrics s = r.simMetrics();
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %.3f | %d/%d | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.0f |%n",
                r.load(),
                r.rate(),
                l.completed(),
                s.completed(),
                r.liveWallSeconds(),
                r.loopCpuSeconds(),
                r.clientCpuSeconds(),
                r.grpcCpuSeconds(),
                r.otherCpuSeconds(),
                r.simWallSeconds(),
                r.simSpeedup()));
      }
      md.append("\n").append(table(rows)).append("\n");
      md.append(
          "Step check: the live server's step records against the cost model's prediction for"
              + " the same shapes (busy = schedule + forward + sample; trailing = apply, streaming"
              + " and the loop until the next step).\n\n");
      List<StepCheck.Row> checks = new ArrayList<>();
      for (ValidationRun.LoadResult r : results) {
        checks.addAll(r.stepCheck());
      }
      md.append(StepCheck.table(checks)).append("\n").append(worst).append("\n");
      Files.writeString(dir.resolve("validation.md"), md.toString());
      List<String> csv = new ArrayList<>();
      csv.add(
          "load,metric,live,simulated,error_percent,target_percent,live_p99_lo,live_p99_hi,sim_p99_lo,sim_p99_hi");
      for (Comparison.Row r : rows) {
        csv.add(
            String.format(
                Locale.ROOT,
                "%s,%s,%.4f,%.4f,%.4f,%s,%s,%s,%s,%s",
                r.load(),
                r.metric(),
                r.live(),
                r.simulated(),
                r.errorPercent(),
                r.targeted() ? String.format(Locale.ROOT, "%.1f", r.targetPercent()) : "",
                num(r.liveLow()),
                num(r.liveHigh()),
                num(r.simLow()),
                num(r.simHigh())));
      }
      Files.write(dir.resolve("validation.csv"), csv);
      for (ValidationRun.LoadResult r : results) {
        List<CdfChart.Panel> panels = new ArrayList<>();
        for (String m : ServingMetrics.LATENCIES) {
          panels.add(
              new CdfChart.Panel(
                  m.toUpperCase(Locale.ROOT),
                  ServingMetrics.samples(r.live(), m),
                  ServingMetrics.samples(r.simulated(), m)));
        }
        CdfChart.write(
            dir.resolve("cdf-" + r.load() + ".png"),
            "load "
                + r.load()
                + " ("
                + String.format(Locale.ROOT, "%.3f", r.rate())
                + " req/s): live vs simulated latency CDFs",
            panels);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the report to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
  }
}
