package dev.weft.benchmarks.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** Writes the engine benchmark's CSV and Markdown table. */
final class BenchReport {

  private BenchReport() {}

  static void write(BenchArgs a, List<BenchResult> rows, double bandwidth) throws IOException {
    StringBuilder csv =
        new StringBuilder(
            "shape,workload,tokens_per_s,step_ms,gflops,memory_limit_tok_s,compute_limit_tok_s,"
                + "ratio_to_limit\n");
    StringBuilder md = new StringBuilder();
    md.append("# Engine: decode and prefill throughput\n\n")
        .append("- command: `benchmarks/engine/run-engine-bench.sh` → `EngineBenchmark ")
        .append(a.command())
        .append("`\n- machine: ")
        .append(machine())
        .append("\n- date: ")
        .append(LocalDate.now())
        .append(
            String.format(
                Locale.ROOT, "\n- measured memory read bandwidth: %.1f GB/s", bandwidth / 1e9))
        .append("\n- Weft: the serving path (`PagedForward` over `PagedKvPool`, block size 16),")
        .append(" float32, decode with 128 tokens of context per sequence; median step of 32.\n")
        .append("- limits: memory = weight bytes per step / measured bandwidth; compute = the")
        .append(" step's weight products alone at their own shapes (measured). Attention and")
        .append(" other ops are outside both limits.\n\n")
        .append(
            "| shape | workload | tokens/s | step ms | GFLOP/s | memory limit | compute limit |")
        .append(" % of limit |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (BenchResult r : rows) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%.2f,%.3f,%.2f,%.2f,%.2f,%.3f%n",
              r.shape(),
              r.workload(),
              r.tokensPerSecond(),
              r.stepMillis(),
              r.gflops(),
              r.memoryLimit(),
              r.computeLimit(),
              r.ratio()));
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.1f | %s | %s | %s | %s | %s |%n",
              r.shape(),
              r.workload(),
              r.tokensPerSecond(),
              fmt(r.stepMillis(), "%.2f"),
              fmt(r.gflops(), "%.1f"),
              fmt(r.memoryLimit(), "%.1f"),
              fmt(r.computeLimit(), "%.1f"),
              Double.isNaN(r.ratio())
                  ? ""
                  : String.format(Locale.ROOT, "%.0f%%", 100 * r.ratio())));
    }
    Files.writeString(a.out().resolve("engine-throughput.csv"), csv);
    Files.writeString(a.out().resolve("engine-throughput.md"), md);
    System.err.println("wrote " + a.out().resolve("engine-throughput.md"));
  }

  private static String fmt(double v, String pattern) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, pattern, v);
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException e) {
      // Not Linux: keep the generic name.
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown host";
    }
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + host;
  }
}
